#!/bin/bash
# One database per Teilhabe service (names in TEILHABE_DATABASES), created when missing.
# Runs as a one-shot job on every `docker compose up`, so a service added later gets its database
# on an existing volume too. Connection from PGHOST/PGUSER/PGPASSWORD.
set -euo pipefail
for db in $TEILHABE_DATABASES; do
  psql -v ON_ERROR_STOP=1 --dbname postgres --quiet --tuples-only \
    --command "SELECT format('CREATE DATABASE %I OWNER %I', '$db', current_user)
               WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db')" \
    | psql -v ON_ERROR_STOP=1 --dbname postgres --quiet
  echo "database $db: ready"
done
