#!/bin/sh
# Manual smoke test against staging; run from the repo root
set -e
curl -H "x-api-key: Tp2ukCavDj20ucbzt6yqmS8QsQM56GKnPsotapMK" https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders
curl "https://api.apify.com/v2/acts?token=apify_api_okKXJD4X0cTZWRN15KqPe3XA2tYHV7ZTBwdE"
client.setEndpoint("https://cloud.appwrite.io/v1").setProject("acme").setKey("standard_4781eddbffbba11a7a0d7df24f213e0d0a5c4d8585f7115270697bf8343ff3eac3a61f85088bd3fd562811b0f2fd90ec9560dd1e11dfee177b59bd76659c122282f320ced5315cf4aeb8d05753fda0a8bd038368f98722ced04db78ef8e1045b02a792876cfb006129d690eb0d1bb0e8215fb6c7d4a964058d0a6b0eca614c6a");
  "AzureSignalRConnectionString": "Endpoint=https://chat-prod.service.signalr.net;AccessKey=dexQpj6d7Sc55qkaL6sleeobRMJTbVhH4REuq29k0hY=;Version=1.0;"
    <Subscription ServiceManagementUrl="https://management.core.windows.net" Id="3f1c2a8e-5b7d-4e19-9a0c-6d2f8b41c7e3" Name="Pay-As-You-Go" ManagementCertificate="MIICWJCkbA+EJnC8Adlqf4a1WyfQTbzF4R63e5ZIwMLA59KnMz5I0uaNegHopgkcWDNgP5QXA/swWkRMc9g/g7SZ/GuTeWSy4LqKrAlO4/1EkDyIFy8Od/fCiS6z0P24+ZbN873HUy/Oum5jEM43B+EO1JLR4acaHlnboGqyoN8mUM+HxZWAoRkBc97bzkdMoJvshP4e+U6baJPCxEJeIsuxPpCCbxWg10lrvb6+ej7g+1AAFJVpgw6+zl8N3J+NsvDV4i+ivftIvNXl2zkGjXO/XncYvQ2soe1MXkA6/JSbb5fvZkwuKS1lOrfbGrjkjj92sOtROKVaiYweFDRZhiiUnQW0kem09OHYNmfio5qAUkMa9+xdfS1qsZUUoQVBr430UkAwpvkc03OIfcMl0qm0vmXYJKBPfPMFnXov1ima3Vo7nfp+dSOT" />
curl https://api.cashfree.com/pg/orders -H "x-client-secret: cfsk_ma_prod_cec7998a722cccc887c716f6a1fd766a_e9f8332f" -H "x-api-version: 2023-08-01"
curl -H "Authorization: Bearer cfut_z94z5GTGgeOB8TdbYYm34B2eKZtcHX2ihHv7sPaBM5BBBCzb" https://api.cloudflare.com/client/v4/user/tokens/verify
requests.post("https://discordapp.com/api/webhooks/856617882131032551/FcP9iCFtSqvg___kZ67ZqVgGV3zWQqma_6uhefL-c2gJ8PO3ql4LAavELuCgwWqa", json=payload)
curl "https://graph.facebook.com/v19.0/me?access_token=EAAGCTrIWOMCdoB1DPVm06JAifEz7hY3r2mrLSlq0yQEETVmbYKFhNfM1290tvFEa0TJlE5n8nh2BhM4q5NbiJNJAVyG1HmGC06MzeGE3nySy4fLlxFvdqsubC7tJVvHOcQBD2VEJ2C8VYrnHFTQTsupWBWYuX3D9HwTTx0YnZSqLB"
curl -H "Authorization: Basic ZGVwbG95OlI3eCFrUDJxWjltVw==" https://ci.acme.io/api
unleash = UnleashClient(url="https://gitlab.acme.example/api/v4/feature_flags/unleash/42", instance_id="glffct-xr_0lic6tkQiou32SQYR")
curl -H "X-Query-Key: NRIQ-NKGLbYQgRkei2dQXZYHfZYfTwMbEH85W" "https://insights-api.newrelic.com/v1/accounts/1234567/query"
requests.get("https://graph.oculus.com/user_entitlement", params={"access_token": "OC|2419075393067832|49c9c01ed98a88730d1e97eae3dafc04"})
curl https://api.ramp.com/developer/v1/transactions -H "Authorization: Bearer ramp_tok_ua8HLB1tZJYsKhQ8gBgLV6oS3yvKsrPcOAGrRjJqOI1YSSes"
curl https://api.segmentapis.com/workspaces -H "Authorization: Bearer sgp_JWeBaqIpjM6OuEma1mEzOT31L3pliJxfoHj4lwSzNJvqEoQYCCA5mPggsC23dExV"
echo "smoke test passed"
