-- Runs once, when the postgres container initialises an empty data volume
-- (docker-entrypoint-initdb.d), as the superuser POSTGRES_USER (tributary).
-- The `tributary` database itself is created from POSTGRES_DB; Apicurio Registry keeps its
-- schemas in a database of its own, as in the local stack (tools/stack/src/postgres.ts).
CREATE DATABASE apicurio OWNER tributary;
