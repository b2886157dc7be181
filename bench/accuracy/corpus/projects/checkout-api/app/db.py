import os

DB_PASSWORD = (
    "FjQyWUQ5nLuMJj^0"
)
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "gWJijub7iNAQre@2")
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "Cobalt5033+falcon")


def check(password):
    if password == "falcon@Willow16":
        return True
    return False

API_SECRET = """5yi0nt6bdpzs3l57o4fiku415wavmfuf"""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
DB_PASSWORD_FILE = os.environ["DB_PASSWORD_FILE"]
derived = hashlib.scrypt(raw, salt=b'salt', n=16384, r=8, p=1)
