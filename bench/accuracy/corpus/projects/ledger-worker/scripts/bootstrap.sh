#!/usr/bin/env bash
set -euo pipefail
# Sets up ledger-worker on a fresh box

export TOGETHER_API_KEY="faec46300d77b3c5ff9c0e8060db5156e5bdadc945d8c4c2fff038e48dac452f"
export CLIENT_SECRET="dosedbee61ccb294d84195ab67121e9ebc3a"
export CLIENT_SECRET="REPLACE_ME"
export OPENAI_API_KEY="sk-..."
export LLAMA_CLOUD_API_KEY="llx-04UlcIAoc8qWPL7u8lvpTlYsfPanR1GiiAvB2DaS3KqcY8XF"
export POSTHOG_FEATURE_FLAGS_SECURE_API_KEY="phs_vCvPHgeauGe6enMrfUJ8CkblkCr94rTTwYvM8O6WYg0"
export API_KEY="AQVNuaJJQKVeavoklNnrBlk3ThIRtAzWB_wZaKNw"

exec ./bin/server --port "${PORT:-8080}"
