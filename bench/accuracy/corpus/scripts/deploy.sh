#!/usr/bin/env bash
set -euo pipefail
export GITHUB_TOKEN=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
VERSION="$(git describe --tags)"
curl -fsS -u deploy:UxrZLMACbzUKLdj0Tx https://artifacts.acme.example/upload -T "dist/app-$VERSION.tgz"
gh release create "$VERSION" dist/*.tgz
