#!/usr/bin/env bash
# The one way to run Prometheus natively (Debian's prometheus package) with the pipeline's scrape
# configuration and alert rules (monitoring/), on 127.0.0.1.
#   stack/prometheus.sh install|start|stop|status|test-rules
# install: Debian's prometheus and prometheus-pushgateway packages when a command is missing (root;
#   their own services are not started). test-rules: promtool's unit tests of the alert rules
#   (monitoring/alerts-test.yml).
# Environment: PROMETHEUS_PORT (9090), and the ports it scrapes: STATUS_PORT (8090), PUSHGATEWAY_PORT
# (9091: Flink's metrics), KAFKA_METRICS_PORT (9404), CONNECT_METRICS_PORT (9405); VAR_DIR (./var).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
STATUS_PORT=${STATUS_PORT:-8090}
PUSHGATEWAY_PORT=${PUSHGATEWAY_PORT:-9091}
KAFKA_METRICS_PORT=${KAFKA_METRICS_PORT:-9404}
CONNECT_METRICS_PORT=${CONNECT_METRICS_PORT:-9405}
MONITORING_DIR=$ROOT/monitoring
STATE=$VAR_DIR/prometheus
PIDFILE=$STATE/prometheus.pid

install() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v prometheus-pushgateway >/dev/null && return 0
  is_root || die "prometheus, promtool or prometheus-pushgateway is missing: install Debian's prometheus and prometheus-pushgateway packages (apt-get install prometheus prometheus-pushgateway) or run this as root"
  log "installing Debian's prometheus and prometheus-pushgateway packages (their own services stay stopped)"
  apt-get update -qq
  # RUNLEVEL=1: the packages' init scripts do not start a second Prometheus or Pushgateway on all interfaces.
  RUNLEVEL=1 NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus prometheus-pushgateway >/dev/null
}

ready() {
  live_pid "$PIDFILE" >/dev/null || return 2
  curl -sf "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null
}

start() {
  one_install_at_a_time install
  mkdir -p "$STATE/data"
  if pid=$(live_pid "$PIDFILE"); then log "Prometheus already running (pid $pid) on http://127.0.0.1:$PROMETHEUS_PORT"; return 0; fi
  port_open "$PROMETHEUS_PORT" && die "port $PROMETHEUS_PORT is taken by another process; set PROMETHEUS_PORT"
  render_template "$MONITORING_DIR/prometheus.yml" "$STATE/prometheus.yml"
  promtool check config "$STATE/prometheus.yml" >/dev/null || die "monitoring/prometheus.yml or its rules do not check (promtool check config $STATE/prometheus.yml)"
  log "starting Prometheus on http://127.0.0.1:$PROMETHEUS_PORT (logs: $STATE/prometheus.log)"
  setsid prometheus --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/data" --storage.tsdb.retention.time=7d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$STATE/prometheus.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until 60 "Prometheus on port $PROMETHEUS_PORT" ready; then
    tail -n 20 "$STATE/prometheus.log" >&2
    die "Prometheus did not start"
  fi
  log "Prometheus up (pid $(cat "$PIDFILE")): http://127.0.0.1:$PROMETHEUS_PORT/alerts"
}

stop() { stop_pid "$PIDFILE" "Prometheus" 30; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "prometheus: up (pid $pid, http://127.0.0.1:$PROMETHEUS_PORT)"
  else
    echo "prometheus: down"; return 3
  fi
}

test_rules() {
  one_install_at_a_time install
  (cd "$MONITORING_DIR" && promtool check rules alerts.yml && promtool test rules alerts-test.yml)
  # The Grafana dashboard's queries parse as PromQL: each becomes a recording rule promtool checks.
  local queries
  queries=$(mktemp)
  { echo "groups:"; echo "  - name: grafana-dashboard-queries"; echo "    rules:"
    sed -n 's/^ *"expr": \(".*"\),\{0,1\}$/\1/p' "$MONITORING_DIR/grafana/dashboards/data-sync-opensearch.json" \
      | awk '{ printf "      - record: dashboard_query_%d\n        expr: %s\n", NR, $0 }'; } >"$queries"
  promtool check rules "$queries" || { rm -f "$queries"; die "a query of monitoring/grafana/dashboards/data-sync-opensearch.json is not valid PromQL"; }
  rm -f "$queries"
}

case "${1:-}" in
  install) one_install_at_a_time install ;;
  start|stop|status) "$1" ;;
  test-rules) test_rules ;;
  *) echo "usage: $0 install|start|stop|status|test-rules" >&2; exit 2 ;;
esac
