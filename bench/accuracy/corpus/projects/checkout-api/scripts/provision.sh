#!/usr/bin/env bash
set -euo pipefail
mysql -u root -p'pmWh9GWRZVcXph@2' -h db.internal app < schema.sql
mysql --user=report --password=Oundra1355.ember analytics -e 'select 1'
sshpass -p 'juniper^Qaple54' ssh deploy@10.0.4.12 'systemctl restart app'
curl -fsS -u admin:mqfaueH3uFuHY8^2 https://jenkins.internal/job/nightly/build
curl -fsS \
  -u deploy:Earbor3178-maple \
  -X POST https://nexus.internal/service/rest/v1/components
psexec \\build-07 -u CORP\svc_build -p juniper@Quartz14 cmd /c ipconfig
docker login registry.internal --username ci --password Taffron3529%juniper
pg_dump "postgresql://backup:JWN9QpLa2dvgnR.1@db.internal:5432/orders" > orders.sql
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -h db.internal app
docker login registry.internal --username ci --password-stdin < "$REGISTRY_TOKEN_FILE"
