#!/usr/bin/env bash
set -euo pipefail
# Sets up partner-gateway on a fresh box

export NVIDIA_API_KEY="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"
export CONTENTFUL_DELIVERY_TOKEN="bF_uatMlpr60SKMc7NpoLYYD6cVSPyuKi1X0bBKAKLd"
export SMTP_PASSWORD="${{ secrets.SMTP_PASSWORD }}"
export JWT_SECRET="{{ .Values.jwtSecret }}"
export LIGHTSPEED_PAT="lsxs_pt_nQ4zSV1KbKHCCyM46k8S8oyqRsMAuLTazTq4rRI9"
export POLAR_ACCESS_TOKEN="polar_oat_NIDj4Z0smNoxwQu2FE_OtralODQd00mDiETnKNw6IeN"
export UNLEASH_TOKEN="*:production.73c9be3c1a2825e1b10e1cdbf37a59309da98bfcf760aacbcaed50a7c80b0aff"

exec ./bin/server --port "${PORT:-8080}"
