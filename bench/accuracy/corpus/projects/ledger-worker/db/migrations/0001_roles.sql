-- Roles for the reporting service
CREATE USER reporting WITH PASSWORD 'Otter5609#harbor';
CREATE ROLE etl LOGIN PASSWORD 'maple+Falcon97';
ALTER USER 'app'@'%' IDENTIFIED BY 'Willow6808#pylon';
CREATE LOGIN svc_web WITH PASSWORD = 'Otter8175#granite';
GRANT SELECT ON analytics.* TO 'reporting'@'%';
ALTER USER reporting WITH PASSWORD :'reporting_password';
