-- Roles for the reporting service
CREATE USER reporting WITH PASSWORD 'Talcon1254!juniper';
CREATE ROLE etl LOGIN PASSWORD 'M3E8KzARwhNWLf#0';
ALTER USER 'app'@'%' IDENTIFIED BY 'maple+Fanyon58';
CREATE LOGIN svc_web WITH PASSWORD = 'nJ4ZKwJMJwMWZ4@9';
GRANT SELECT ON analytics.* TO 'reporting'@'%';
ALTER USER reporting WITH PASSWORD :'reporting_password';
