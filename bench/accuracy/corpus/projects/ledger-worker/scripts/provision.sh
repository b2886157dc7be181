#!/usr/bin/env bash
set -euo pipefail
mysql -u root -p'DXdwXroZAjYrHL^4' -h db.internal app < schema.sql
mysql --user=report --password=Wundra2887_otter analytics -e 'select 1'
sshpass -p 'Faple4350#willow' ssh deploy@10.0.4.12 'systemctl restart app'
curl -fsS -u admin:Waple7278!willow https://jenkins.internal/job/nightly/build
curl -fsS \
  -u deploy:Warbor3655_granite \
  -X POST https://nexus.internal/service/rest/v1/components
psexec \\build-07 -u CORP\svc_build -p Xvr2RrxwEayrJ7^9 cmd /c ipconfig
docker login registry.internal --username ci --password Fanyon7363.harbor
pg_dump "postgresql://backup:saffron@Ttter97@db.internal:5432/orders" > orders.sql
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -h db.internal app
docker login registry.internal --username ci --password-stdin < "$REGISTRY_TOKEN_FILE"
