import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
ELEVENLABS_KEY = "487ad542d38c701f1a6ae16f0242c1cc"
DATADOG_API_KEY = "0f36f2265ab0e87456a6d2ca5c3a6f9b"
LOCALSTACK_AUTH_TOKEN = "ls-3Vxi4Ihx-PfP9-frFU-P10h-SBMlUrVfNPjx"
DB_PASSWORD_SECRET_NAME = "prod/orders/db-password"
VAULT_PATH = "secret/data/prod/payments"
REGISTRATION_ACCESS_TOKEN = "polar_crt_m7XGcufp6k7ds2I7SwJJIfZz_NyZgTV0ppmw-okXapG"
WAKATIME_REFRESH_TOKEN = "waka_ref_RWgvOCyR3r8n4ZNAyKDAao05YvEGQrToTo02ulTdGkYtoLdC3clFGLkz0XDtnXzbzMsva3Lbosimc5Os"

LOGGING = {"version": 1, "disable_existing_loggers": False}
