#!/usr/bin/env bash
# The one way to run the status service (operations module): the live status page, /api/status and
# Prometheus' /metrics for what no process exports itself, on 127.0.0.1.
#   stack/status-page.sh start|stop|status
# Environment: STATUS_PORT (8090), VAR_DIR (./var), OPS_JAR (operations/target/ops-cli.jar), and the
# ports of the services it asks (KAFKA_PORT, CONNECT_PORT, OPENSEARCH_PORT, WEB_UI_PORT, PG*).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATUS_PORT=${STATUS_PORT:-8090}
OPS_JAR=${OPS_JAR:-$ROOT/operations/target/ops-cli.jar}
STATE=$VAR_DIR/status-page
PIDFILE=$STATE/status-page.pid

start() {
  [ -f "$OPS_JAR" ] || die "$OPS_JAR missing: build it first (make start-status-page does)"
  mkdir -p "$STATE"
  if pid=$(live_pid "$PIDFILE"); then log "status page already running (pid $pid) on http://127.0.0.1:$STATUS_PORT/"; return 0; fi
  port_open "$STATUS_PORT" && die "port $STATUS_PORT is taken by another process; set STATUS_PORT"
  start_java_service status-page "$STATE" "-Xmx256m" "$OPS_JAR" io.datasync.ops.StatusServer --port "$STATUS_PORT"
  if ! wait_until 30 "the status page on port $STATUS_PORT" port_open "$STATUS_PORT"; then
    tail -n 20 "$STATE/logs/status-page.out" >&2
    die "the status page did not start"
  fi
  log "status page up (pid $(cat "$PIDFILE")): http://127.0.0.1:$STATUS_PORT/ · /api/status · /metrics"
}

stop() { stop_pid "$PIDFILE" "status page" 10; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "status-page: up (pid $pid, http://127.0.0.1:$STATUS_PORT/)"
  else
    echo "status-page: down"; return 3
  fi
}

case "${1:-}" in
  start|stop|status) "$1" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
