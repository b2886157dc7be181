import os

DB_PASSWORD = (
    "willow%Falcon46"
)
SMTP_PASSWORD = os.getenv("SMTP_PASSWORD", "t7ASpbLgtGnScz+5")
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD", "Ember1026%falcon")


def check(password):
    if password == "AmLaMraDyKou8r^0":
        return True
    return False

API_SECRET = """fp944s0f105ppagecpp0jz1aeg5gtl5b"""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
DB_PASSWORD_FILE = os.environ["DB_PASSWORD_FILE"]
derived = hashlib.scrypt(raw, salt=b'salt', n=16384, r=8, p=1)
