#!/usr/bin/env bash
# The sync job on the session cluster of stack/flink.sh, through Flink's own CLI (bin/flink).
#   stack/job.sh start [job arguments…]   submit, resuming from the newest savepoint or checkpoint it knows (FRESH=yes: without state)
#   stack/job.sh stop                     stop with a savepoint into SAVEPOINT_DIR, remembered for the next start
#   stack/job.sh cancel                   cancel without a savepoint and delete its checkpoints (for runs that start over with FRESH=yes)
#   stack/job.sh savepoint                a savepoint of the running job, which keeps running
#   stack/job.sh upgrade <jar> [args…]    stop with a savepoint, start <jar> from it, confirm RUNNING
#   stack/job.sh build <label> [args…]    a rebuild beside the serving job (make reindex): new indexes
#                                         <alias>_v<version>_<label>, no state, from the topics' end
#   stack/job.sh promote <rebuild id>     the rebuild becomes the serving job: the serving job is cancelled,
#                                         the rebuild stopped with a savepoint and started from it as usual
#   stack/job.sh abandon <rebuild id>     cancel a rebuild before its swap
#   stack/job.sh status
# Environment: KAFKA_PORT (9092), OPENSEARCH_PORT (9200), WEB_UI_PORT (8082), JOB_JAR
# (flink-job/target/data-sync-job.jar), JOB_ARGS (more job arguments), FLINK_RUN_OPTS (options of
# flink run, e.g. -C file:///…/plugin.jar), SAVEPOINT_DIR (./savepoints), SAVEPOINTS_KEPT (3: older
# savepoints in SAVEPOINT_DIR are removed after each stop, as each holds the whole state),
# SAVEPOINT_FORMAT (native: RocksDB's own files, restored like a checkpoint; canonical: Flink's portable
# format, needed to change the state backend or read the savepoint with the State Processor API),
# REBUILD_SNAPSHOT_QUIET (PT30S: how long a rebuild's source must see no snapshot record before it
# takes the incremental snapshot as read and releases the documents it held).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT=${KAFKA_PORT:-9092}
OPENSEARCH_PORT=${OPENSEARCH_PORT:-9200}
WEB_UI_PORT=${WEB_UI_PORT:-8082}
SAVEPOINT_DIR=${SAVEPOINT_DIR:-$ROOT/savepoints}
SAVEPOINT_FORMAT=${SAVEPOINT_FORMAT:-native}
[[ "$SAVEPOINT_FORMAT" =~ ^(native|canonical)$ ]] || die "SAVEPOINT_FORMAT must be native or canonical, not '$SAVEPOINT_FORMAT'"
JOB_JAR=${JOB_JAR:-$ROOT/flink-job/target/data-sync-job.jar}
JOB_NAME=data-sync-opensearch
REBUILD_NAME=$JOB_NAME-reindex
FLINK_STATE=$VAR_DIR/flink
RESTORE_POINT=$FLINK_STATE/job.restore-point
REST=http://127.0.0.1:$WEB_UI_PORT

flink_cli() { "$ROOT/bin/flink" "$@"; }

# The ID of the job named $1 (the serving job by default) in a non-terminal state, if any.
job_id() {
  curl -sf "$REST/jobs/overview" | tr '{' '\n' \
    | grep "\"name\":\"${1:-$JOB_NAME}\"" | grep -v -E '"state":"(FINISHED|CANCELED|FAILED)"' | grep -o '"jid":"[0-9a-f]*"' | cut -d'"' -f4 | head -n1
}

job_state() { curl -sf "$REST/jobs/$1" | grep -o '"state":"[A-Z]*"' | head -n1 | cut -d'"' -f4; }

# RUNNING with every task running (restoring a large state takes a while after the job itself is RUNNING).
running() {
  local job statuses
  job=$(curl -sf "$REST/jobs/$1") || return 1
  [ "$(grep -o '"state":"[A-Z]*"' <<<"$job" | head -n1)" = '"state":"RUNNING"' ] || return 1
  statuses=$(grep -o '"status":"[A-Z_]*"' <<<"$job" || true)
  [ -n "$statuses" ] && ! grep -qv '"RUNNING"' <<<"$statuses"
}

# The newest of: the savepoint the last stop took, the latest retained checkpoint of any earlier run.
restore_point() {
  local candidates=()
  [ -f "$RESTORE_POINT" ] && [ -f "$(cat "$RESTORE_POINT")/_metadata" ] && candidates+=("$(cat "$RESTORE_POINT")/_metadata")
  local checkpoint
  checkpoint=$(ls -1t "$FLINK_STATE"/checkpoints/*/chk-*/_metadata 2>/dev/null | head -n1 || true)
  [ -n "$checkpoint" ] && candidates+=("$checkpoint")
  [ ${#candidates[@]} -gt 0 ] && dirname "$(ls -1t "${candidates[@]}" | head -n1)"
}

submit() {
  local jar=$1 from=${2:-}; shift 2
  local restore=() output id
  [ -f "$jar" ] || die "no job jar at $jar (make run-job builds it)"
  # Claim mode: the changelog state backend (on with --state-backend hashmap) cannot take the full
  # first checkpoint that the default NO_CLAIM mode demands, and RocksDB's next incremental checkpoint
  # may build on the restored files instead of copying them all; Flink owns the restored snapshot and
  # deletes it once newer checkpoints subsume it.
  [ -n "$from" ] && restore=(-s "$from" -cm claim)
  # shellcheck disable=SC2086
  output=$(flink_cli run -d ${FLINK_RUN_OPTS:-} "${restore[@]}" "$jar" --bootstrap-servers "127.0.0.1:$KAFKA_PORT" \
    --opensearch-url "http://127.0.0.1:$OPENSEARCH_PORT" ${JOB_ARGS:-} "$@" 2>&1) || { echo "$output" >&2; die "flink run failed"; }
  id=$(grep -o 'JobID [0-9a-f]*' <<<"$output" | awk '{print $2}')
  [ -n "$id" ] || { echo "$output" >&2; die "flink run printed no job ID"; }
  wait_until 600 "job $id and all its tasks to run" running "$id" || die "job $id is $(job_state "$id"), not RUNNING; see $FLINK_STATE/logs/jobmanager.json"
  log "job $id RUNNING${from:+, restored from $from} (web UI $REST/#/job/running/$id/overview)"
}

start() {
  local id from
  curl -sf "$REST/overview" >/dev/null || die "no Flink cluster at $REST (make start-flink)"
  if id=$(job_id || true) && [ -n "$id" ]; then log "job already submitted: $id ($(job_state "$id"))"; return 0; fi
  from=$(restore_point || true)
  if [ "${FRESH:-}" = yes ]; then
    from=""
    log "FRESH=yes: starting without state; the job reads the topics from the start"
  elif [ -n "$from" ]; then
    log "resuming from $from"
  else
    log "no savepoint or checkpoint: the job reads the topics from the start"
  fi
  submit "$JOB_JAR" "$from" "$@"
}

# Stops the running job with a savepoint; prints the savepoint's path. Native by default: a canonical one
# re-inserts every key into RocksDB on restore (at seed size 62.8 s until RUNNING, 9.6 s native). Safe since
# the job keeps its timers in RocksDB: heap timers were left out of native savepoints (bench/README.md).
stop_with_savepoint() {
  local id=$1 output path
  mkdir -p "$SAVEPOINT_DIR"
  output=$(flink_cli stop --type "$SAVEPOINT_FORMAT" --savepointPath "$SAVEPOINT_DIR" "$id" 2>&1) || { echo "$output" >&2; die "stop with savepoint failed for job $id"; }
  path=$(grep -o 'Savepoint completed. Path: [^ ]*' <<<"$output" | awk '{print $4}')
  [ -n "$path" ] || { echo "$output" >&2; die "no savepoint path in flink stop's answer"; }
  path=${path#file:}
  mkdir -p "$FLINK_STATE"
  echo "$path" >"$RESTORE_POINT"
  prune_savepoints
  echo "$path"
}

# Keeps the newest SAVEPOINTS_KEPT savepoints (each is a full copy of the state, ~1 GB at seed size).
prune_savepoints() {
  local keep=${SAVEPOINTS_KEPT:-3} old
  [ "$keep" -ge 1 ] || keep=1
  ls -1dt "$SAVEPOINT_DIR"/savepoint-*/ 2>/dev/null | tail -n +$((keep + 1)) | while read -r old; do
    rm -rf "$old" && log "removed the older savepoint $old (SAVEPOINTS_KEPT=$keep)"
  done
}

# The running job's ID for stop/cancel; fails (after saying why) when there is none to act on.
job_to() {
  local id
  curl -sf "$REST/overview" >/dev/null || { log "no Flink cluster at $REST: no job to $1"; return 1; }
  id=$(job_id || true)
  [ -n "$id" ] || { log "no job running"; return 1; }
  echo "$id"
}

stop() {
  local id path
  id=$(job_to stop) || return 0
  if path=$(stop_with_savepoint "$id"); then
    log "job $id stopped with savepoint $path (the next start resumes from it)"
  else
    # E.g. tasks still restoring: stopping must not fail make down; the retained checkpoints remain.
    log "no savepoint could be taken; cancelling job $id (the next start resumes from its newest retained checkpoint)"
    flink_cli cancel "$id" >/dev/null 2>&1 || die "could not cancel job $id"
  fi
}

cancelled() { [ "$(job_state "$1")" = CANCELED ]; }

cancel() {
  local id
  id=$(job_to cancel) || return 0
  flink_cli cancel "$id" >/dev/null 2>&1 || die "could not cancel job $id"
  wait_until 120 "job $id to be cancelled" cancelled "$id" || die "job $id did not cancel"
  # Each retained checkpoint holds the whole state (~1 GB at seed size): runs that start over would pile them up.
  rm -rf "${FLINK_STATE:?}/checkpoints/$id" "${FLINK_STATE:?}/changelog/$id"
  log "job $id cancelled, its checkpoints deleted"
}

savepoint() {
  local id output
  id=$(job_id || true)
  [ -n "$id" ] || die "no job running"
  output=$(flink_cli savepoint --type "$SAVEPOINT_FORMAT" "$id" "$SAVEPOINT_DIR" 2>&1) || { echo "$output" >&2; die "savepoint failed"; }
  grep -o 'Savepoint completed. Path: [^ ]*' <<<"$output" | awk '{print $4}'
}

upgrade() {
  local jar=${1:-}; shift || true
  local id path
  [ -f "$jar" ] || die "usage: stack/job.sh upgrade <jar> [job arguments…] (no jar at '$jar')"
  id=$(job_id || true)
  [ -n "$id" ] || die "no job running to upgrade"
  path=$(stop_with_savepoint "$id")
  log "job $id stopped with savepoint $path; starting $jar from it"
  submit "$jar" "$path" "$@"
}

# The rebuild runs on a TaskManager of its own, added for it: the serving job keeps its slots and memory.
REBUILD_TM=$FLINK_STATE/rebuild.taskmanager

build() {
  local label=${1:-} running tm; shift || true
  [ -n "$label" ] || die "usage: stack/job.sh build <label> [job arguments…]"
  curl -sf "$REST/overview" >/dev/null || die "no Flink cluster at $REST (make start-flink)"
  running=$(job_id "$REBUILD_NAME" || true)
  [ -z "$running" ] || die "a rebuild is already running: job $running"
  # With the serving job running, its slots are taken: the rebuild gets a TaskManager of its own.
  if [ -n "$(job_id || true)" ]; then
    tm=$("$ROOT/stack/flink.sh" add-taskmanager) || die "could not add a TaskManager for the rebuild"
    echo "$tm" >"$REBUILD_TM"
    log "building new indexes (label $label) from the topics' end on TaskManager $tm"
  else
    log "building new indexes (label $label) from the topics' end; no job serves the current ones"
  fi
  # Its snapshot documents wait for the whole incremental snapshot; beside a serving job under load its source can
  # stall for seconds under backpressure, which the usual 3 s quiet would take for the snapshot's end.
  submit "$JOB_JAR" "" --rebuild "$label" --job-name "$REBUILD_NAME" --group-id "data-sync-reindex-$label" \
    --snapshot-quiet "${REBUILD_SNAPSHOT_QUIET:-PT30S}" "$@"
}

# The rebuild's TaskManager goes once its job has stopped.
stop_rebuild_taskmanager() {
  [ -f "$REBUILD_TM" ] || return 0
  "$ROOT/stack/flink.sh" stop-taskmanager "$(cat "$REBUILD_TM")"
  rm -f "$REBUILD_TM"
}

promote() {
  local rebuild=${1:-} path; shift || true
  [ -n "$rebuild" ] || die "usage: stack/job.sh promote <rebuild job ID> [job arguments…]"
  cancel
  path=$(stop_with_savepoint "$rebuild")
  stop_rebuild_taskmanager
  log "rebuild $rebuild stopped with savepoint $path; starting it as the serving job"
  submit "$JOB_JAR" "$path" "$@"
}

# A rebuild given up before its swap: cancelled, its checkpoints and TaskManager gone.
abandon() {
  local rebuild=${1:-}
  [ -n "$rebuild" ] || die "usage: stack/job.sh abandon <rebuild job ID>"
  flink_cli cancel "$rebuild" >/dev/null 2>&1 || log "job $rebuild was not running"
  wait_until 120 "job $rebuild to be cancelled" cancelled "$rebuild" || true
  rm -rf "${FLINK_STATE:?}/checkpoints/$rebuild"
  stop_rebuild_taskmanager
  log "rebuild $rebuild abandoned"
}

status() {
  local id
  curl -sf "$REST/overview" >/dev/null || { echo "job: down (no Flink cluster at $REST)"; return 3; }
  id=$(job_id || true)
  [ -n "$id" ] || { echo "job: down (not submitted)"; return 3; }
  echo "job: $(job_state "$id") ($id, $REST/#/job/running/$id/overview)"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  upgrade) shift; upgrade "$@" ;;
  build) shift; build "$@" ;;
  promote) shift; promote "$@" ;;
  abandon) shift; abandon "$@" ;;
  stop|cancel|savepoint|status) "$1" ;;
  *) echo "usage: $0 start [args…]|stop|cancel|savepoint|upgrade <jar> [args…]|build <label> [args…]|promote <rebuild id> [args…]|status" >&2; exit 2 ;;
esac
