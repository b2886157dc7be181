import os

DB_PASSWORD = (
    "Ouniper6364@meadow"
)
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "iNAQresRgZb8UG*7")
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "D2pQsWh4CFasfy*8")


def check(password):
    if password == "ZyKPTiyu2mAjVJ_1":
        return True
    return False

API_SECRET = """1y4jl0osb2kram6b1cjla4u65apah9qs"""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
DB_PASSWORD_FILE = os.environ["DB_PASSWORD_FILE"]
derived = hashlib.scrypt(raw, salt=b'salt', n=16384, r=8, p=1)
