#!/bin/sh
# Runs once, when the compose PostgreSQL initialises its volume: creates the role scimgate
# connects as. It owns nothing; the migration V4 grants it INSERT and SELECT on the audit (and
# UPDATE on the outbox only), so neither the service nor anyone holding its password can change
# or delete a decision.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$SCIMGATE_APP_PASSWORD" <<'SQL'
CREATE ROLE scimgate_app LOGIN PASSWORD :'app_password';
GRANT CONNECT ON DATABASE scimgate TO scimgate_app;
SQL
