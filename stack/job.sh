#!/usr/bin/env bash
# Runs the sync job locally: a Flink MiniCluster in one JVM with the web UI on 127.0.0.1:8082.
#   stack/job.sh start|stop|status [job arguments…]
# The job reads Kafka at 127.0.0.1:$KAFKA_PORT and writes OpenSearch at 127.0.0.1:$OPENSEARCH_PORT.
# Checkpoints go to var/job/checkpoints; a restart resumes from the latest one (--restore).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT=${KAFKA_PORT:-9092}
OPENSEARCH_PORT=${OPENSEARCH_PORT:-9200}
WEB_UI_PORT=${WEB_UI_PORT:-8082}
JOB_HEAP=${JOB_HEAP:--Xms2g -Xmx6g}
JOB_STATE=$VAR_DIR/job
PIDFILE=$JOB_STATE/job.pid
CLASSPATH_FILE=$ROOT/flink-job/target/local-classpath.txt

start() {
  shift || true
  if pid=$(live_pid "$PIDFILE"); then log "job already running (pid $pid), web UI http://127.0.0.1:$WEB_UI_PORT"; return 0; fi
  port_open "$WEB_UI_PORT" && die "port $WEB_UI_PORT is taken; set WEB_UI_PORT"
  [ -f "$CLASSPATH_FILE" ] && [ -d "$ROOT/flink-job/target/classes" ] || die "build the job first (make run-job does)"
  mkdir -p "$JOB_STATE/logs" "$JOB_STATE/checkpoints"
  # Resume from the newest retained checkpoint, if any: without state the job re-reads the topics.
  local latest restore=()
  latest=$(ls -1dt "$JOB_STATE"/checkpoints/*/chk-*/_metadata 2>/dev/null | head -n1 || true)
  if [ -n "$latest" ]; then
    restore=(--restore-from "file://$(dirname "$latest")")
    log "restoring from $(dirname "$latest")"
  fi
  log "starting the sync job locally (web UI http://127.0.0.1:$WEB_UI_PORT, logs $JOB_STATE/logs/job.json)"
  # shellcheck disable=SC2046,SC2086
  setsid java $JOB_HEAP $(pom_property flink.jvm.opens) -Dlog4j2.configurationFile="$ROOT/flink-conf/log4j2-local.xml" -Djob.log.dir="$JOB_STATE/logs" \
    -cp "$ROOT/flink-job/target/classes:$(cat "$CLASSPATH_FILE")" io.datasync.job.SyncJob --local --web-ui-port "$WEB_UI_PORT" \
    --bootstrap-servers "127.0.0.1:$KAFKA_PORT" --opensearch-url "http://127.0.0.1:$OPENSEARCH_PORT" \
    --checkpoint-dir "file://$JOB_STATE/checkpoints" "${restore[@]}" "$@" >"$JOB_STATE/logs/job.out" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  if ! wait_until 90 "the job's web UI on port $WEB_UI_PORT" ui_ready; then
    tail -n 30 "$JOB_STATE/logs/job.out" >&2
    die "the job did not start"
  fi
  log "job running (pid $(cat "$PIDFILE")), web UI http://127.0.0.1:$WEB_UI_PORT"
}

ui_ready() {
  live_pid "$PIDFILE" >/dev/null || return 2
  curl -sf "http://127.0.0.1:$WEB_UI_PORT/jobs/overview" | grep -q '"state":"RUNNING"'
}

stop() { stop_pid "$PIDFILE" "sync job" 60; }

status() {
  if pid=$(live_pid "$PIDFILE"); then
    echo "job: up (pid $pid, web UI http://127.0.0.1:$WEB_UI_PORT) $(curl -sf "http://127.0.0.1:$WEB_UI_PORT/jobs/overview" | grep -o '"state":"[A-Z]*"' | head -1)"
  else
    echo "job: down"; return 3
  fi
}

case "${1:-}" in
  start) start "$@" ;;
  stop|status) "$1" ;;
  *) echo "usage: $0 start|stop|status [job arguments…]" >&2; exit 2 ;;
esac
