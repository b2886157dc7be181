#!/usr/bin/env bash
set -euo pipefail
# Sets up data-platform on a fresh box

export WANDB_API_KEY="ba66b4a504f3b52ba3dcaa854ee59a5d5be07e8a"
export X_AUTH_USER_SERVICE_KEY="v1.0-1335f6658849a9280b2c1a36-d56b78fbd6d4cf7c5aa5e8e97079d374bd46bf3f18fa3cdb7a44a04470b79fca104823a9b9df2e69cea8786e081b33afbd741dfca08e5e6c42db2e9d2248a6cf2dd5fdea294b244188"
export CLIENT_ID="dd7c1ae2-7f1c-4871-4602-de9b41f80912"
export TENANT_ID="7cffe939-af90-498d-aead-e1947304383f"
export INFRACOST_API_KEY="ico-AVfB2cxcFQIExy7cFhdUGQSZGVBOtyA6"
export OP_SERVICE_ACCOUNT_TOKEN="ops_eyJ6/wJlCZwgGkz1+XhK8he2XQBZoVSrJuE9q+P82B9SGgh0ZZ0pcPEySdRFdM6KKSzSlXBRNLWXqFOyNkb9QKUAtacpQB1L7mxNCEmgPwE2+YosqBIS6rKJPETtDZ2rW0Ln3t7Kod7pLzFVzDZQTjoAl"
export ADYEN_API_KEY="AQEUoXIq5jxKAQqPziNtfFknZx2aCYg5ILJbGViMPJzST30/Xvz5cyNlB/8whzmoMxdwsb0uGlK8DNvLLw8jmiVLxbjro"

exec ./bin/server --port "${PORT:-8080}"
