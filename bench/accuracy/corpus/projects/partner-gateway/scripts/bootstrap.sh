#!/usr/bin/env bash
set -euo pipefail
# Sets up partner-gateway on a fresh box

export NVIDIA_API_KEY="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"
export TURNSTILE_SECRET="0x4AAAAAAAFRk1t3KncuR_CwO40UGT89d3g"
export SMTP_PASSWORD="${{ secrets.SMTP_PASSWORD }}"
export JWT_SECRET="{{ .Values.jwtSecret }}"
export LARK_TENANT_ACCESS_TOKEN="t-auzZOX7tQi75huWeUTrSgqMiGJoqUE51m7FPuRq5"
export AZURE_OPEN_AI_KEY="9acc3dca3b4212bacbd8b07d657d071d"
export QCLOUD_SECRET_KEY="U11z7zXuGTFLEejkDrlZEh1g0gpoaYYZ"

exec ./bin/server --port "${PORT:-8080}"
