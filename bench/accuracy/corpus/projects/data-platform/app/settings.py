import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
DEEPGRAM_API_KEY = "2dee9f58aa05cf87b11fd50a36beae595676b66b"
COCKROACH_API_KEY = "CCDB1_nIA4sjVthB8acJUD2sDP7z_vslR9AYsVLrxKF93l2kkKrHugdaoNjzOagYiiZoa"
LANGSMITH_LICENSE_KEY = "NmtvgO9qpnXpTnZGvaIqydIdHFRBJMT6jxKBw_t1AZgfUTKGHk3m2SJI08RxTUdo"
BUILD_SHA = "44816d6be52724fb362b55ca2280fb469b05c0ed"
REQUEST_ID = "af07b6cd-8ef7-48fc-4eb3-9aaae832db58"
PLIVO_AUTH_TOKEN = "GLbHQQQ3LPDDrv62F9SqmHbUrdJJrTfMEuJkFHm2"
BITCOIN_PRIV_KEY = "KybBCi1YYgeKtee9RwGrm2uM81XfwVBRuf3DbT2g86mqbToxVVXU"

LOGGING = {"version": 1, "disable_existing_loggers": False}
