#!/bin/sh
# Create Temporal's two PostgreSQL databases and bring their schema to the version the
# server image expects. Run by the one-shot `temporal-schema` service (image
# temporalio/admin-tools, same tag as temporalio/server) before the server starts.
#
# Idempotent, so it runs on every `docker compose up`:
#   create         no-op when the database exists
#   setup-schema   creates the version table; skipped when the schema is already versioned
#   update-schema  applies only the migrations newer than the recorded version, which is
#                  also how an image upgrade migrates an existing database
#
# Connection settings come from the environment (temporal-sql-tool reads SQL_PLUGIN,
# SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD); the compose file sets them.
set -eu

: "${SQL_PLUGIN:?SQL_PLUGIN must be set (postgres12)}"
: "${SQL_HOST:?SQL_HOST must be set}"
: "${SQL_USER:?SQL_USER must be set}"

SCHEMA_ROOT=${TEMPORAL_SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}

migrate() {
    database=$1
    schema=$2
    echo "[$database] create database (if missing)"
    temporal-sql-tool --db "$database" create
    echo "[$database] initialise schema version table (if missing)"
    temporal-sql-tool --db "$database" setup-schema -v 0.0
    echo "[$database] apply pending migrations from $SCHEMA_ROOT/$schema/versioned"
    temporal-sql-tool --db "$database" update-schema -d "$SCHEMA_ROOT/$schema/versioned"
}

# Names must match persistence.datastores.*.sql.databaseName in config.yaml.
migrate temporal temporal
migrate temporal_visibility visibility

echo "Temporal schema is up to date."
