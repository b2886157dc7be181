#!/bin/sh
# Manual smoke test against staging; run from the repo root
set -e
curl -X POST -H "aeg-sas-key: 9vMdoPwKTOhP9eQUeMiIBhBLlBg6pf8zMAZEGBqC1tw=" -d @events.json https://orders.westeurope-1.eventgrid.azure.net/api/events
builder.AddAzureAppConfiguration("Endpoint=https://store1.azconfig.io;Id=Ab1c-l2-s0:x8Yt;Secret=v2K0rX/d+iMYl0TxOTv+f5Plh6B2iGb3uZHAOCRSeMr=");
curl -X POST "https://billing-fn.azurewebsites.net/api/invoices/run?clientId=default&code=s0PdYPQ2xQVps-YW73X9Q5OrxIJkfxJi3_QSXnvKawc2mpWT94d6oZ=="
curl -H "Authorization: Bearer d_djVp37pPJ.cwA.Xxk.kzf6l-iOQmSdOlWCRN6AX1V-fGuOSaUme4e7CtJ8nZR" -X POST https://directline.botframework.com/v3/directline/tokens/generate
curl https://api.vercel.com/v9/projects -H "Authorization: Bearer vci_rrZDQK4yOygmxNabTWEFob2qdFcTKyJRwxh2YYs5wL9dbQIN5dfBqaKl"
docker login -u deploy -p gldt-5Pw4kqlb0Ix7eg1hQp51 registry.gitlab.com
curl -H "Authorization: Bearer jina_f8y94g0s9j4lc2apsm8b61nn5414y178MyOwBTesJ34ykUQg07rvzYKbenba" https://r.jina.ai/https://example.org
  "webhookUrl": "https://default14c3fd682c4d2b1ea6bd693d1047fc68.00.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/479cfe388af7aa97a5f161c49493285c/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=xC52xH86li1BK6lPBXWxOapbt0yWCQV0kPqLU6W6tIv",
src login https://sourcegraph.example.com --token sgp_90a7c0543bf9aabe_1b2ca0399476e264beecb1121abcf764dd8884ea
curl -u "$TWILIO_API_KEY:$TWILIO_API_SECRET" https://api.twilio.com/2010-04-01/Accounts/AC910e93fe803f7ecfe52983696e427862/Messages.json
curl -H "X-Viber-Auth-Token: 8ekju5oqvqz3whcl-bxc9atprct142tvl-5vr2b0rabjy3rj0k" https://chatapi.viber.com/pa/get_account_info
requests.get("https://example.yandex.net/api/v1/lookup", params={"key": "trnsl.1.1.20139753T242012Z.2c586f698356b44e.ac74f3d0c506c9d4e335f5d04182eda28a6e9a1e"})
echo "smoke test passed"
