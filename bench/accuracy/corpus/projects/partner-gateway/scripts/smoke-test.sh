#!/bin/sh
# Manual smoke test against staging; run from the repo root
set -e
curl -H "api-key: LjnQiVCThAnzqk2a8pu6Hnl3Yk4WUCaguEU6PVq7wGAzSeHdN4aG" "https://acme.search.windows.net/indexes?api-version=2023-11-01"
curl -H "Ocp-Apim-Subscription-Key: 60855c4cfb6294e54fdca0d51a077f1b" https://acme.azure-api.net/orders/v1/list
  pubsub: "Endpoint=https://acme.webpubsub.azure.com;AccessKey=nHCsU5NHd35klppEKeJBahoJ2KnCvh0NLN9DCL3TgyD=;Version=1.0;"
azcopy copy ./build "https://acmeweb.blob.core.windows.net/$web?sp=racwdl&st=2026-03-01T10:00:00Z&se=2026-03-02T10:00:00Z&spr=https&sv=2022-11-02&sr=c&sig=nhCPZ8xD%2FNGkTVXUDizt7sAXb8jKJxME4YKSZ6uKXcE%3D" --recursive
curl https://api.vercel.com/v9/projects -H "Authorization: Bearer vck_yCgPJt8LQl6UV1wY61wYztvp26gLEMDuxfb8vjNNcAiK6KTdsK0CPZE5"
client = AsyncClient("https://matrix.example.org", "@bot:example.org"); client.access_token = "syt_Ym90LWFpaDRn_EjyJiVHAXnUnBxGKtvxq_34DDLK"
curl https://api.miro.com/v2/boards -H "Authorization: Bearer eyJtaXJvLm9yaWdpbiI6ImV1MDEifU_Vuz0MHDKIYdicleJHODtNHqWAmE"
registry=https://nexus.example.com/repository/npm/
//nexus.example.com/repository/npm/:_auth=S2ayPr79IiBqDSq3SQobRoP4O3e=

curl https://api.pinterest.com/v5/boards -H "Authorization: Bearer pina_UGEC7LFYCQ630WA3VBUYIXLBSHFPD4FZNMX3YZJL112KTXJGJ4MQXGMJFBTVXRRV2IE9STHHD14MGPHVNXH5K5BVMDGGT5QLJTYD"
curl https://us.posthog.com/api/projects/ -H "Authorization: Bearer pha_yKA5hNjU4SaZN2GiEluzy6PjbzFPfKiw7zEJG4AObJV"
git clone https://pat:3qcu7sxiCXIJqkrzeRoT3F5wdwZSI9eknjIH8UYrLlMUI5qH3RJIw18bz7DFFTqZw4xo6uCwjzkIAZDOUSDI@dev.azure.com/acme/app/_git/app
curl -H "X-JFrog-Art-Api: AKCpAjPVqhZBHPykY2wyRl3cuwpOprLRB111RdEilUOn7S2aMvv2ou8dCRLE5rYFU7DUiKKms" https://acme.jfrog.io/artifactory/api/repositories
echo "smoke test passed"
