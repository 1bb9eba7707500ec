#!/usr/bin/env bash
# The one way to run the native Kafka Connect worker (distributed mode) with the Debezium
# PostgreSQL connector on its plugin path.
#   stack/connect.sh start|stop|crash|status|wipe
# Environment: CONNECT_PORT (8083), CONNECT_METRICS_PORT (9405: the worker's and Debezium's metrics in
# Prometheus format, monitoring/jmx-connect.yml), KAFKA_PORT (9092), CONNECT_HEAP, VAR_DIR (./var), and the
# database settings the connector reads through ${env:…}: PGHOST, PGPORT, PGDATABASE, PGUSER,
# PGPASSWORD (127.0.0.1, 5432, app, app, app).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECT_PORT=${CONNECT_PORT:-8083}
CONNECT_METRICS_PORT=${CONNECT_METRICS_PORT:-9405}
KAFKA_PORT=${KAFKA_PORT:-9092}
CONNECT_HEAP=${CONNECT_HEAP:--Xms256m -Xmx1g}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGDATABASE=${PGDATABASE:-app} \
  PGUSER=${PGUSER:-app} PGPASSWORD=${PGPASSWORD:-app}
# The connector's Kafka signal channel (signal.kafka.bootstrap.servers) reads it through ${env:…} too.
export KAFKA_BOOTSTRAP=127.0.0.1:$KAFKA_PORT
KAFKA_LIBS=$DIST_DIR/kafka-$(pom_property kafka.version)
PLUGIN_PATH=$DIST_DIR/debezium-$(pom_property debezium.version)
CONNECT_STATE=$VAR_DIR/connect
PIDFILE=$CONNECT_STATE/connect.pid

ensure_plugin() {
  [ -f "$PLUGIN_PATH/.complete" ] && return 0
  rm -rf "$PLUGIN_PATH"
  resolve_dist debezium "$PLUGIN_PATH/debezium-connector-postgres"
  touch "$PLUGIN_PATH/.complete"
}

rest_ready() {
  live_pid "$PIDFILE" >/dev/null || return 2
  curl -sf "http://127.0.0.1:$CONNECT_PORT/connector-plugins" | grep -q PostgresConnector
}

start() {
  [ -f "$KAFKA_LIBS/.complete" ] || die "Kafka libraries missing; start Kafka first (stack/kafka.sh start)"
  one_install_at_a_time ensure_plugin
  mkdir -p "$CONNECT_STATE"
  if pid=$(live_pid "$PIDFILE"); then log "Kafka Connect already running (pid $pid) on 127.0.0.1:$CONNECT_PORT"; return 0; fi
  port_open "$CONNECT_PORT" && die "port $CONNECT_PORT is taken by another process; set CONNECT_PORT"
  port_open "$CONNECT_METRICS_PORT" && die "port $CONNECT_METRICS_PORT is taken by another process; set CONNECT_METRICS_PORT"
  port_open "$KAFKA_PORT" || die "no Kafka broker on 127.0.0.1:$KAFKA_PORT"
  render_template "$ROOT/stack/conf/connect-distributed.properties" "$CONNECT_STATE/connect-distributed.properties"
  log "starting Kafka Connect on 127.0.0.1:$CONNECT_PORT, metrics on http://127.0.0.1:$CONNECT_METRICS_PORT/metrics (logs: $CONNECT_STATE/logs)"
  start_java_service connect "$CONNECT_STATE" "$CONNECT_HEAP $(metrics_agent "$CONNECT_METRICS_PORT" jmx-connect.yml)" "$KAFKA_LIBS/*" \
    org.apache.kafka.connect.cli.ConnectDistributed "$CONNECT_STATE/connect-distributed.properties"
  if ! wait_until 120 "Kafka Connect REST on port $CONNECT_PORT" rest_ready; then
    tail -n 20 "$CONNECT_STATE/logs/connect.out" >&2
    die "Kafka Connect did not start"
  fi
  log "Kafka Connect up (pid $(cat "$PIDFILE")), Debezium $(pom_property debezium.version) on its plugin path"
}

stop() { stop_pid "$PIDFILE" "Kafka Connect" 60; }

crash() { crash_pid "$PIDFILE" "Kafka Connect"; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "connect: up (pid $pid, http://127.0.0.1:$CONNECT_PORT)"
  else
    echo "connect: down"; return 3
  fi
}

wipe() {
  live_pid "$PIDFILE" >/dev/null && die "stop Kafka Connect before wiping its state"
  rm -rf "$CONNECT_STATE"
  log "Kafka Connect state removed (its offsets live in Kafka's connect-offsets topic)"
}

case "${1:-}" in
  start|stop|crash|status|wipe) "$1" ;;
  *) echo "usage: $0 start|stop|crash|status|wipe" >&2; exit 2 ;;
esac
