import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
MISTRAL_KEY = "9zHgH9Syq1Pgl1nSGySKMuIMaN09lV48"
DENO_DEPLOY_TOKEN = "ddp_Q0BjdaiRNfHbFAmuddXKVu9xF6cz6f46AoqC"
MAPBOX_DOWNLOADS_TOKEN = "sk.eyJ1IjoiYWNtZSIsImEiOiJnDHUbOY_KyGmoYmKo_WKa3s5u7u3A2Z-j4IKyIDu.nXB5WmBmcN8iS-u18w3ZG_"
JWT_SECRET = "{{ .Values.jwtSecret }}"
SESSION_SECRET = "${SESSION_SECRET}"
DUFFEL_TOKEN = "duffel_live_-XpNuu7y2b7TJvreQPKV8qGgJhozBlQLhDa5oVbygL7"
ZENHUB_TOKEN = "zh_93b999444529c9fc762ad4ed0693d6021c76501be1a512f7119d96c81e0760d4"

LOGGING = {"version": 1, "disable_existing_loggers": False}
