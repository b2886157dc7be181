import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "UapHE2TaE6duZPgncOQgUEeZ0AwGy1TX9GDhMcXFZD3paiGLkW"
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "3Vm2Pe4Yyqe0k8Cs",
        "HOST": os.environ.get("DB_HOST", "localhost"),
    }
}

AWS_ACCESS_KEY_ID = "AKIAL3BSJ4NZQZN36ATF"
AWS_SECRET_ACCESS_KEY = "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"
AWS_STORAGE_BUCKET_NAME = "shop-media"
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
PASSWORD_RESET_TIMEOUT = 259200
