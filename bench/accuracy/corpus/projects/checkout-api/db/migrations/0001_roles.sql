-- Roles for the reporting service
CREATE USER reporting WITH PASSWORD 'willow-Cuniper78';
CREATE ROLE etl LOGIN PASSWORD '5eMQrzQ99poNdw^3';
ALTER USER 'app'@'%' IDENTIFIED BY 'gYpyFjQyWUQ5nL@1';
CREATE LOGIN svc_web WITH PASSWORD = 'juniper^Lanyon57';
GRANT SELECT ON analytics.* TO 'reporting'@'%';
ALTER USER reporting WITH PASSWORD :'reporting_password';
