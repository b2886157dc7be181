import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
ELEVENLABS_KEY = "487ad542d38c701f1a6ae16f0242c1cc"
CONTENTFUL_DELIVERY_TOKEN = "bF_uatMlpr60SKMc7NpoLYYD6cVSPyuKi1X0bBKAKLd"
LIGHTSPEED_PAT = "lsxs_pt_nQ4zSV1KbKHCCyM46k8S8oyqRsMAuLTazTq4rRI9"
DB_PASSWORD_SECRET_NAME = "prod/orders/db-password"
VAULT_PATH = "secret/data/prod/payments"
MIXPANEL_SECRET = "d0d6c6da341c308d2ed22a45af727a37"
TWILIO_AUTH_TOKEN = "844961df4a4f88135de0d8746a038d00"

LOGGING = {"version": 1, "disable_existing_loggers": False}
