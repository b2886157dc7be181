#!/usr/bin/env bash
set -euo pipefail
mysql -u root -p'pmWh9GWRZVcXph@2' -h db.internal app < schema.sql
mysql --user=report --password=Otter6934!juniper analytics -e 'select 1'
sshpass -p 'Uj2fTepmqfaueH^7' ssh deploy@10.0.4.12 'systemctl restart app'
curl -fsS -u admin:willow#Cobalt96 https://jenkins.internal/job/nightly/build
curl -fsS \
  -u deploy:MZ2APcRLmveeCY.7 \
  -X POST https://nexus.internal/service/rest/v1/components
psexec \\build-07 -u CORP\svc_build -p granite_Saffron23 cmd /c ipconfig
docker login registry.internal --username ci --password Granite9944%tundra
pg_dump "postgresql://backup:cobalt^Meadow79@db.internal:5432/orders" > orders.sql
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -h db.internal app
docker login registry.internal --username ci --password-stdin < "$REGISTRY_TOKEN_FILE"
