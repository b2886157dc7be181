import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEBUG = False
ASSEMBLY_AI_KEY = "03bc2e69babb4ac13256baef21a26556"
BUGSNAG_API_KEY = "628eaaa077656f2c2151e1fbb1cdc645"
KIMI_API_KEY = "sk-ppWnULhU6Jnvb7t9si8xpBoDXuZ7pdOJ7ueqVvovKiWVCpcU"
TENANT_ID = "12bda8e3-318d-4fac-1abc-0ea82b27a5f9"
AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
RAINFOREST_SANDBOX_API_KEY = "s3wco7hJq3C8kKKtRG_Gt7t9e03X_yaqpk89OumI"
YC_SESSION = "c1.5zgobMPjuXjU442qE_5prtR214iO0-x9QUs_CxPqQ8YfeIYZuPQV_FtS2Kwq8A0HqqQxfpkmHUpeF8UbwlEut_YOxCsIQdsfKZT2M5i6_HLrDmueQR_Zu1Q33xAMuHbID9m97kaeBenrlXfJryjxMfNVZL9S.UAUVW8aoRKEQxcZIltghxEwe3a2OY35SGLHUQ-QCZnA4KiBoKL9-G2r_2G3Y65Nfcq547IKsHz5c5AimuBW2G2"

LOGGING = {"version": 1, "disable_existing_loggers": False}
