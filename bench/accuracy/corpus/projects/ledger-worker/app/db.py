import os

DB_PASSWORD = (
    "maple.Mtter58"
)
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "GnScz9hnyAQWuA.1")
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "Gaffron4855!ember")


def check(password):
    if password == "tundra@Caffron83":
        return True
    return False

API_SECRET = """afp944s0f105ppagecpp0jz1aeg5gtl5"""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
DB_PASSWORD_FILE = os.environ["DB_PASSWORD_FILE"]
derived = hashlib.scrypt(raw, salt=b'salt', n=16384, r=8, p=1)
