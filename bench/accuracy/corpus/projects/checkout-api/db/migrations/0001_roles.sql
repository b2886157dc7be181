-- Roles for the reporting service
CREATE USER reporting WITH PASSWORD 'Tundra3369.otter';
CREATE ROLE etl LOGIN PASSWORD 'willow-Canyon64';
ALTER USER 'app'@'%' IDENTIFIED BY 'q5eMQrzQ99poNd@8';
CREATE LOGIN svc_web WITH PASSWORD = 'Canyon5808*tundra';
GRANT SELECT ON analytics.* TO 'reporting'@'%';
ALTER USER reporting WITH PASSWORD :'reporting_password';
