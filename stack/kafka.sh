#!/usr/bin/env bash
# The one way to run the native Kafka broker (KRaft, single node) of the stack.
#   stack/kafka.sh start|stop|crash|status|wipe
# Artifacts: org.apache.kafka:kafka_2.13 and friends from Maven Central (version in pom.xml).
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_METRICS_PORT (9404: the broker's
# metrics in Prometheus format, monitoring/jmx-kafka.yml), KAFKA_HEAP, VAR_DIR (./var).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_METRICS_PORT=${KAFKA_METRICS_PORT:-9404}
KAFKA_HEAP=${KAFKA_HEAP:--Xms256m -Xmx1g}
KAFKA_VERSION=$(pom_property kafka.version)
KAFKA_LIBS=$DIST_DIR/kafka-$KAFKA_VERSION
KAFKA_STATE=$VAR_DIR/kafka
KAFKA_DATA=$KAFKA_STATE/data
PIDFILE=$KAFKA_STATE/kafka.pid

ensure_libs() {
  [ -f "$KAFKA_LIBS/.complete" ] && return 0
  rm -rf "$KAFKA_LIBS"
  resolve_dist kafka "$KAFKA_LIBS"
  touch "$KAFKA_LIBS/.complete"
}

kafka_java() { java -cp "$KAFKA_LIBS/*" "$@"; }

start() {
  one_install_at_a_time ensure_libs
  mkdir -p "$KAFKA_STATE"
  if pid=$(live_pid "$PIDFILE"); then log "Kafka already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process; set KAFKA_PORT"
  port_open "$KAFKA_METRICS_PORT" && die "port $KAFKA_METRICS_PORT is taken by another process; set KAFKA_METRICS_PORT"
  render_template "$ROOT/stack/conf/kafka-server.properties" "$KAFKA_STATE/server.properties"
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    log "formatting Kafka storage in $KAFKA_DATA"
    # Without --standalone: it conflicts with controller.quorum.voters.
    kafka_java kafka.tools.StorageTool format -t "$(kafka_java kafka.tools.StorageTool random-uuid)" \
      -c "$KAFKA_STATE/server.properties" >"$KAFKA_STATE/format.log" 2>&1 \
      || die "formatting Kafka storage failed, see $KAFKA_STATE/format.log"
  fi
  log "starting Kafka on 127.0.0.1:$KAFKA_PORT, metrics on http://127.0.0.1:$KAFKA_METRICS_PORT/metrics (logs: $KAFKA_STATE/logs)"
  start_java_service kafka "$KAFKA_STATE" "$KAFKA_HEAP $(metrics_agent "$KAFKA_METRICS_PORT" jmx-kafka.yml)" "$KAFKA_LIBS/*" \
    kafka.Kafka "$KAFKA_STATE/server.properties"
  if ! wait_until 90 "Kafka on port $KAFKA_PORT" broker_ready; then
    tail -n 20 "$KAFKA_STATE/logs/kafka.out" >&2
    die "Kafka did not start"
  fi
  log "Kafka up (pid $(cat "$PIDFILE"))"
}

broker_ready() {
  live_pid "$PIDFILE" >/dev/null || return 2
  port_open "$KAFKA_PORT"
}

stop() { stop_pid "$PIDFILE" Kafka 120; }

crash() { crash_pid "$PIDFILE" "Kafka"; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "kafka: up (pid $pid, 127.0.0.1:$KAFKA_PORT)"
  else
    echo "kafka: down"; return 3
  fi
}

wipe() {
  live_pid "$PIDFILE" >/dev/null && die "stop Kafka before wiping its data"
  rm -rf "$KAFKA_STATE"
  log "Kafka data removed"
}

case "${1:-}" in
  start|stop|crash|status|wipe) "$1" ;;
  *) echo "usage: $0 start|stop|crash|status|wipe" >&2; exit 2 ;;
esac
