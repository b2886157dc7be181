#!/usr/bin/env bash
set -euo pipefail
mysql -u root -p'DXdwXroZAjYrHL^4' -h db.internal app < schema.sql
mysql --user=report --password=Willow6676%quartz analytics -e 'select 1'
sshpass -p 'meadow*Maple43' ssh deploy@10.0.4.12 'systemctl restart app'
curl -fsS -u admin:willow*Willow35 https://jenkins.internal/job/nightly/build
curl -fsS \
  -u deploy:CvdwCSjLzXvr2R@8 \
  -X POST https://nexus.internal/service/rest/v1/components
psexec \\build-07 -u CORP\svc_build -p EayrJ734nV7roB!6 cmd /c ipconfig
docker login registry.internal --username ci --password oK8VoWBCixM3E8#8
pg_dump "postgresql://backup:maple^Quartz30@db.internal:5432/orders" > orders.sql
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -h db.internal app
docker login registry.internal --username ci --password-stdin < "$REGISTRY_TOKEN_FILE"
