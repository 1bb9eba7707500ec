#!/usr/bin/env bash
# The one way to run the Prometheus Pushgateway natively (Debian's prometheus-pushgateway) on
# 127.0.0.1. Flink's JobManager and TaskManagers push their metrics there (Flink's
# PrometheusPushGatewayReporter, flink-conf/config.yaml): Flink's scrape reporter can only listen on
# every interface. Each Flink process pushes under its own name, so a restarted one replaces its
# own metrics; Prometheus scrapes the gateway (monitoring/prometheus.yml).
#   stack/pushgateway.sh start|stop|status
# Environment: PUSHGATEWAY_PORT (9091), VAR_DIR (./var).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PUSHGATEWAY_PORT=${PUSHGATEWAY_PORT:-9091}
STATE=$VAR_DIR/pushgateway
PIDFILE=$STATE/pushgateway.pid

ready() {
  live_pid "$PIDFILE" >/dev/null || return 2
  curl -sf "http://127.0.0.1:$PUSHGATEWAY_PORT/-/ready" >/dev/null
}

start() {
  "$ROOT/stack/prometheus.sh" install
  mkdir -p "$STATE"
  if pid=$(live_pid "$PIDFILE"); then log "Pushgateway already running (pid $pid) on http://127.0.0.1:$PUSHGATEWAY_PORT"; return 0; fi
  port_open "$PUSHGATEWAY_PORT" && die "port $PUSHGATEWAY_PORT is taken by another process; set PUSHGATEWAY_PORT"
  log "starting the Pushgateway on http://127.0.0.1:$PUSHGATEWAY_PORT (logs: $STATE/pushgateway.log)"
  setsid prometheus-pushgateway --web.listen-address="127.0.0.1:$PUSHGATEWAY_PORT" >"$STATE/pushgateway.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until 30 "the Pushgateway on port $PUSHGATEWAY_PORT" ready; then
    tail -n 20 "$STATE/pushgateway.log" >&2
    die "the Pushgateway did not start"
  fi
  log "Pushgateway up (pid $(cat "$PIDFILE"))"
}

stop() { stop_pid "$PIDFILE" "Pushgateway" 10; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "pushgateway: up (pid $pid, http://127.0.0.1:$PUSHGATEWAY_PORT)"
  else
    echo "pushgateway: down"; return 3
  fi
}

case "${1:-}" in
  start|stop|status) "$1" ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
