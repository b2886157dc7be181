#!/bin/sh
# Manual smoke test against staging; run from the repo root
set -e
workspace = Workspace.from_connection_string("SubscriptionId=9b2e;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=19hs9WGF6x20qzbWvYAs0FcoTe22eMztxYpJ0zs0v2rzcvHvjp1m7CHXARA4WpPDCI8Mc98tU1QF21gTnFxI;QuantumEndpoint=https://eastus.quantum.azure.com/;")
git clone https://x-token-auth:ATCTT3xFfGN0mppt5MZ2oefeEDxjCxaiwNZOlRK55oo1R_f--Zdw5Ye3VVdQPIG-fl8NKhyLKOQT4qbxSTVBUCi7vsvrbmmxP9DfRpf_GL3KHswf6KK6A-c4fD4ZXcFmD585ggeAuNBvdU3YWNh1-mZTQGhlWg12RvIfG9U8D8PePd6zNXgo4d=399M9613@bitbucket.org/acme/app.git
curl https://api.checkout.com/payments -H "Authorization: Bearer sk_xpdcftw7wuf2og5lqt2hvfuowwa"
curl -H "Authorization: pk_50579557_OAT5WGOH3KQGUVII8N9G10SPM72F9DNX" https://api.clickup.com/api/v2/team
docker swarm join --token SWMTKN-1-8vc2ysagoywehpfidsvgfgz2r3ptwnixda0qeetxo2x60zoyqj-e41gf59tr13nmf40q6lfio1oj 10.0.0.4:2377
client = NotificationsAPIClient("gcntfy-live-6f5c6eba-b389-4be1-ab91-1bef012c6285-f84671fd-8fe3-a389-ef52-85af760aefb1", base_url="https://api.notification.canada.ca")
curl -u deploy:antSZ83Vt6MD2rjk https://ci.acme.io/api/jobs
curl -H "Authorization: Bearer KWr3AtE7u3752MxAAH8YiZP6N82sZkfpJrjxNorh" https://api.example.invalid/v1/me
curl -H "Authorization: Bearer ghs_nnVWlIjeq3YUqu8XE1g1VT8gO2hxrk3nj6jB" https://api.github.com/repos/acme/app
fetch(`https://maps.googleapis.com/maps/api/geocode/json?key=AIzaROZIcaID4FeLM2dj5jfKp5s2ZneI927Aeai&address=x`)
curl https://api.pagerduty.com/incidents -H "Authorization: Bearer pdus+_0X3F3N6O_swSlg-4oy17w9XRjDYC5R4HdEOfAMYYeXhHQuieAAJWCBoqM"
curl https://api.paddle.com/customers -H "Authorization: Bearer pdl_live_apikey_85ykgq28xlrfl0lf3a0i749d1p_RmdIgOjKr2FddP4lNMa6bG_Ndo"
curl https://api.polar.sh/v1/products/ -H "Authorization: Bearer polar_at_u_5QWq9B6hiI6KhnhqANCG719rQ67HcdpcZ9mlBHO2NrC"
[testpypi]
repository = https://test.pypi.org/legacy/
username = __token__
password = zk691fPNRhlpHg62WEY2z1grCyYpF0Gp

requests.post("https://hooks.slack.com/services/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", json=msg)
echo "smoke test passed"
