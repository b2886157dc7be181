#!/usr/bin/env bash
set -euo pipefail
# Sets up checkout-api on a fresh box

export OPENROUTER_API_KEY="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"
export LOGDNA_INGESTION_KEY="7129514ba0f8ff2b8678f5398b6fff7a"
export DB_PASSWORD="changeme"
export GITHUB_TOKEN="<YOUR_GITHUB_TOKEN>"
export LINE_CHANNEL_SECRET="d03ba77207a89a5ddfae10ad3f78183e"
export SINCH_API_TOKEN="7319556aa3fd87981eb97a2171356364"
export APPLICATION_SECRET="sq0csp-OlbYJ521Rijh52gy-7_K_s7h0lrYaaYoAe0uVw6haI-"

exec ./bin/server --port "${PORT:-8080}"
