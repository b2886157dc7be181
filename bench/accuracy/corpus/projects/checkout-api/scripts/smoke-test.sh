#!/bin/sh
# Manual smoke test against staging; run from the repo root
set -e
ETH_RPC_URL=https://eth-mainnet.g.alchemy.com/v2/rV66PMK5g8-FpR7bdEbD1KM27iji6Hno
client = OpenAI(base_url="https://api.endpoints.anyscale.com/v1", api_key="esecret_x85T5Z0lHg0iE0dugzx8ACp8gO")
curl -H "Authorization: Bearer xapt-2a897131-88e5-4f2b-8aa5-c890fe6cc807" https://api.axiom.co/v1/datasets/logs/ingest
curl -H "Ocp-Apim-Subscription-Key: fABcCge8t8Bv2i313zw4uOaFHBTBuamrJV8FrPXE0em2QLi5gVvcJQQJ99CG6I0briaZZUlr99DtACOGR7dI" "https://westeurope.api.cognitive.microsoft.com/vision/v3.2/analyze"
COMMUNICATION_SERVICES_CONNECTION_STRING="endpoint=https://acme-chat.communication.azure.com/;accesskey=rmClz5v9Ck4icchZe7wyyUQV0ZEjk87+azlhLGQiJrdajb8+Ia2yjF3vwLYA8TAT1JzdzSn56BXdXCVlJVQD+E=="
curl -X POST -d @payload.json "https://prod-11.northeurope.logic.azure.com:443/workflows/a39c9d357a6e82a53184a89099de41fa/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=MgkcD9EM0d9YxYn4Q5j0K5pY954ODa33JvCGIgJZlZ8"
curl -H "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJub25jZSI6IllsQ1ROQy1ncklhRHhFYjdqNVJXOTNZLTJKcWVjczl1NEozWi1WaWJteDAiLCJhbGciOiJSUzI1NiIsIng1dCI6Ik9odURiNkNZQXVQN1Zja2RwQTBfRFBiR3ZUaSIsImtpZCI6Im5EWFlubnV1N3FuREJSdlZaWnU2Qk1ZNkxPUSJ9.eyJhdWQiOiJodHRwczovL2dyYXBoLm1pY3Jvc29mdC5jb20iLCJpc3MiOiJodHRwczovL3N0cy53aW5kb3dzLm5ldC9hNTNkNDMyYy1kODJmLTRmNWItOTA2NS1kY2IzMmZmM2Y0N2QvIiwiaWF0IjoxNzY3MjI1NjAwLCJuYmYiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyOTUwMCwiYXBwaWQiOiI4NDIwNDRhMy1mNzA2LTRmNDctODdjNC02MzA0ZjNmY2ZkMTUiLCJvaWQiOiJlYWEyYjBjYS1jNGNlLTQ5ZjgtOWQwNy0xMWQ5YjI3NDA4ZjgiLCJ0aWQiOiJhNTNkNDMyYy1kODJmLTRmNWItOTA2NS1kY2IzMmZmM2Y0N2QiLCJ2ZXIiOiIxLjAifQ.L1kcrL6aDDtPC8UEo7sbcR-yiLz1bUQdVfp8zSIHSDmSyAnTNrIZP9QWnmlgCoA4Jj3ZRn6EgyclXh3T3fHMQwx0RWR5MeAN_Jns9ZWnTT8nfxI-HNdqt99-1hPIQmX1N-y9mwoORj8KTM22X827N2pofe_Eb5kkQhH-eTvCwJxE8-7Jwif88E28eFHuDbPRFGwiJqSMjQoQByckd0znMeialtH-vkLEhpY2TLK4tmL4MKePV-fMPox8iW1_H0bgmRea4F5N6EPOtnl4HBnPbvCdluhdVBjOrqXf4Jh-PjTZqVkZtEXvmGQYUA4IuvsccTHV6T9PQcIq0foSNvxWcY" https://graph.microsoft.com/v1.0/me
curl -H "Authorization: Bearer bkua_ce39cbb8ae541fb68176645a0df5e61d7d361cf1" https://api.buildkite.com/v2/user
curl -H "Circle-Token: CCIRLS_kO2tsroUA69RRzigQNvSM0_9f13efe3e01deacb7c8cc1b91a0d3826504520c5" https://circleci.com/api/v2/project/gh/acme/app/pipeline
curl https://withpersona.com/api/v1/inquiries -H "Authorization: Bearer persona_sandbox_2c172b48-8b51-419e-8981-a90fecb7fae4"
https://api.getpostman.com/collections/12345678-1a2b3c4d?access_key=PMAT-01B9HY6V9Z35HN6NNF0FT4XG3V
curl https://api.samsara.com/fleet/vehicles -H "Authorization: Bearer samsara_api_EHvvMgFAXYivD2wyFIBJi3UxXsC2At"
  webhook: https://hooks.zapier.com/hooks/catch/97145749/va4zknd/
echo "smoke test passed"
