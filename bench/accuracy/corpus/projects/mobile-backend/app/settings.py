import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
ASSEMBLY_AI_KEY = "03bc2e69babb4ac13256baef21a26556"
BUGSNAG_API_KEY = "628eaaa077656f2c2151e1fbb1cdc645"
KIMI_API_KEY = "sk-ppWnULhU6Jnvb7t9si8xpBoDXuZ7pdOJ7ueqVvovKiWVCpcU"
TENANT_ID = "12bda8e3-318d-4fac-1abc-0ea82b27a5f9"
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
RAYCAST_ACCESS_TOKEN = "Ubup0etSOD9xOa89ScI9K9qDoR-ov8WRkpsjWhPe"
YANDEX_PREDICTOR_KEY = "pdct.1.1.20894322T426806Z.1be8049f7ad88354.b308eb419c01f8a53d4f5a8e01a3f53bec207dc0"

LOGGING = {"version": 1, "disable_existing_loggers": False}
