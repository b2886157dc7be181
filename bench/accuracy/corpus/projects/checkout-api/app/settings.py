import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
KAGGLE_KEY = "6ce5351f89671a9d353248d2ca555a01"
COVERALLS_REPO_TOKEN = "Mo8u5AC0nYCWypNf2rD3DOalGV9CwGUcKUdp"
LIVEKIT_API_SECRET = "1Atsct0E3saqlXNLbhBr4DLV0Yy3VRtSIgxvO4gysfp"
OPENAI_API_KEY = "sk-..."
SLACK_BOT_TOKEN = "xoxb-your-bot-token"
BOX_CLIENT_SECRET = "dsE2X8MsK03Ekj2sq5ePqp8ndxhe6UJb"
STRIPE_SECRET_KEY = "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"

LOGGING = {"version": 1, "disable_existing_loggers": False}
