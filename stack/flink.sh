#!/usr/bin/env bash
# The one way to run the native Flink session cluster: a JobManager and TaskManagers as separate
# processes, assembled from Flink's jars on Maven Central (flink-dist is not published there).
#   stack/flink.sh start|stop|status|crash-taskmanager [N]|crash-jobmanager|wipe
#   stack/flink.sh add-taskmanager         one more TaskManager on the running cluster; prints its number
#   stack/flink.sh stop-taskmanager N      stops TaskManager N (its slots must be free)
# Configuration: flink-conf/config.yaml, copied to <var>/flink/conf with this environment's ports
# and absolute folders. Environment: WEB_UI_PORT (8082), FLINK_RPC_PORT (6123), VAR_DIR (./var),
# SAVEPOINT_DIR (./savepoints), TASKMANAGERS (1: how many TaskManagers `start` keeps running),
# PUSHGATEWAY_PORT (9091: when a Pushgateway answers there as Flink starts, every Flink process pushes
# its metrics to it every 10 s, under its own name: flink-jobmanager, flink-taskmanager, …).
# TaskManager N is named taskmanager (N=1) or taskmanager-N: its pid file, logs, resource id and
# working directory (<var>/flink/<name>) carry that name, so a TaskManager restarted after a crash
# is the same one to Flink.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WEB_UI_PORT=${WEB_UI_PORT:-8082}
FLINK_RPC_PORT=${FLINK_RPC_PORT:-6123}
PUSHGATEWAY_PORT=${PUSHGATEWAY_PORT:-9091}
SAVEPOINT_DIR=${SAVEPOINT_DIR:-$ROOT/savepoints}
FLINK_LIB=$DIST_DIR/flink-$(pom_property flink.version)
FLINK_STATE=$VAR_DIR/flink
CONF_DIR=$FLINK_STATE/conf
JM_PID=$FLINK_STATE/jobmanager.pid
TASKMANAGERS=${TASKMANAGERS:-1}
[[ "$TASKMANAGERS" =~ ^[1-9][0-9]*$ ]] || die "TASKMANAGERS must be a positive number, not '$TASKMANAGERS'"

tm_name() { if [ "$1" = 1 ]; then echo taskmanager; else echo "taskmanager-$1"; fi; }
# The TaskManagers' pid files, also of any started earlier with a larger TASKMANAGERS.
tm_pidfiles() { compgen -G "$FLINK_STATE/taskmanager*.pid" | sort -V || true; }

# Resolved again whenever stack/dist/flink/pom.xml changes (its checksum is kept in .complete).
ensure_lib() {
  local want
  want=$(sha256sum "$ROOT/stack/dist/flink/pom.xml" | cut -d' ' -f1)
  [ "$(cat "$FLINK_LIB/.complete" 2>/dev/null)" = "$want" ] && return 0
  rm -rf "$FLINK_LIB" "$FLINK_LIB-cds"
  resolve_dist flink "$FLINK_LIB"
  echo "$want" >"$FLINK_LIB/.complete"
}

# Prints a flattened YAML file with the given keys' lines replaced (or appended): conf_with FILE key=value…
conf_with() {
  local file=$1; shift
  awk -v overrides="$(printf '%s\n' "$@")" '
    BEGIN { n = split(overrides, kv, "\n")
            for (i = 1; i <= n; i++) if (kv[i] != "") { p = index(kv[i], "="); value[substr(kv[i], 1, p - 1)] = substr(kv[i], p + 1) } }
    { key = $0; sub(/:.*/, "", key)
      if ($0 !~ /^#/ && (key in value)) { print key ": " value[key]; seen[key] = 1 } else print }
    END { for (key in value) if (!(key in seen)) print key ": " value[key] }' "$file"
}

render_conf() {
  mkdir -p "$CONF_DIR" "$FLINK_STATE/checkpoints" "$FLINK_STATE/changelog" "$FLINK_STATE/tmp" "$FLINK_STATE/web-upload" "$SAVEPOINT_DIR"
  cp "$ROOT"/flink-conf/log4j2-*.xml "$CONF_DIR/"
  local reporter=()
  # Without a Pushgateway the reporter would only log a failed push every 10 s. Its booleans are quoted: reporters
  # read their options as strings, and a YAML boolean would be ignored (the default kept).
  if port_open "$PUSHGATEWAY_PORT"; then
    reporter=("metrics.reporter.prom.factory.class=org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory"
      "metrics.reporter.prom.hostUrl=http://127.0.0.1:$PUSHGATEWAY_PORT" "metrics.reporter.prom.interval=10 SECONDS"
      "metrics.reporter.prom.randomJobNameSuffix='false'" "metrics.reporter.prom.deleteOnShutdown='true'")
  fi
  conf_with "$ROOT/flink-conf/config.yaml" \
    "rest.port=$WEB_UI_PORT" "jobmanager.rpc.port=$FLINK_RPC_PORT" \
    "execution.checkpointing.dir=file://$FLINK_STATE/checkpoints" \
    "execution.checkpointing.savepoint-dir=file://$SAVEPOINT_DIR" "state.changelog.dstl.dfs.base-path=file://$FLINK_STATE/changelog" \
    "io.tmp.dirs=$FLINK_STATE/tmp" "web.upload.dir=$FLINK_STATE/web-upload" "${reporter[@]}" >"$CONF_DIR/config.yaml"
}

# Flink's own memory calculation (what flink-dist's scripts run): line 1 JVM flags, line 2 -D arguments.
# Kept per configuration and Flink version: a TaskManager restarted after a crash starts one JVM, not two
# (on two busy cores a JVM's start is seconds of the restore).
resource_params() {
  local kind=$1 cached
  cached="$CONF_DIR/.$kind-$( { cat "$CONF_DIR/config.yaml" "$FLINK_LIB/.complete"; } | sha256sum | cut -c1-12)"
  if [ ! -s "$cached" ]; then
    java -cp "$FLINK_LIB/*" -Dlog4j2.configurationFile="$CONF_DIR/log4j2-cli.xml" -Dlog.file="$FLINK_STATE/logs/bash-java-utils.json" \
      org.apache.flink.runtime.util.bash.BashJavaUtils "$kind" --configDir "$CONF_DIR" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' \
      >"$CONF_DIR/.$kind.computed" || return 1
    [ -s "$CONF_DIR/.$kind.computed" ] || return 1
    rm -f "$CONF_DIR/.$kind-"*
    mv "$CONF_DIR/.$kind.computed" "$cached"
  fi
  cat "$cached"
}

# Class-data sharing (the JDK's dynamic AppCDS archive): the classes a Flink process loaded from Flink's jars,
# mapped at the next start instead of being read, parsed and verified again. While no archive of its kind exists,
# a process runs with -XX:ArchiveClassesAtExit and writes one when it stops on TERM; every later one maps it (a
# TaskManager restarted after a crash under load registered after 4.2-5.7 s instead of 5.7-9.1 s, bench/README.md).
# Kept beside Flink's jars, shared by every state folder like them, and named by those jars and the JDK: a new
# Flink version or JDK writes a new one (the JVM itself ignores, with a warning, an archive that does not match).
cds_archive() { echo "$FLINK_LIB-cds/$1-$( { cat "$FLINK_LIB/.complete"; java_home_release; } | sha256sum | cut -c1-12).jsa"; }
# The running JDK's release file (its version and build), read instead of starting a JVM for `java -version`.
java_home_release() {
  local home
  home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  cat "$home/release" 2>/dev/null || echo "$home"
}
# cds_flags KIND NAME: the JVM flags that map the archive of KIND, or write one for NAME at its exit. The JVM's
# notes on it (an archive it could not use; the ~400 classes it leaves out of a new one) go to <logs>/NAME-cds.log.
cds_flags() {
  local archive log="-Xlog:cds*=off -Xlog:cds*=warning:file=$FLINK_STATE/logs/$2-cds.log::filecount=0"
  archive=$(cds_archive "$1")
  if [ -s "$archive" ]; then echo "$log -XX:SharedArchiveFile=$archive"; return; fi
  # One writer per kind: a dump costs seconds at the stop (a fresh clone's CI pays it once).
  case $2 in jobmanager | taskmanager) ;; *) echo "$log"; return ;; esac
  rm -f "$FLINK_STATE/$2.jsa"
  echo "$log -XX:ArchiveClassesAtExit=$FLINK_STATE/$2.jsa"
}
# keep_cds_archive KIND NAME, after stop_pid. Only from a JVM that stopped on TERM (a killed one may have left
# half a file), moved into place whole (another state folder's process may be mapping an older one).
keep_cds_archive() {
  local written="$FLINK_STATE/$2.jsa" archive
  [ -e "$written" ] || return 0
  archive=$(cds_archive "$1")
  if [ "$STOPPED_BY" = term ] && [ -s "$written" ] && [ ! -s "$archive" ]; then
    mkdir -p "$(dirname "$archive")"
    cp "$written" "$archive.$$" && mv "$archive.$$" "$archive"
    log "class-data sharing archive for the $1 kept ($(du -m "$archive" | cut -f1) MB): later starts map it"
  fi
  rm -f "$written"
}

# env.java.opts.all and env.java.opts.<jobmanager|taskmanager> of the rendered configuration, as flink-dist's scripts
# pass them (its memory calculation leaves them out); ${FLINK_LOG_PREFIX} becomes this process's log path without
# extension, as in flink-dist (e.g. the first TaskManager's GC log: <var>/flink/logs/taskmanager-gc.log).
java_opts() {
  local kind=$1 name=$2 key value opts=""
  for key in env.java.opts.all "env.java.opts.$kind"; do
    value=$(sed -n "s/^${key//./\\.}: *//p" "$CONF_DIR/config.yaml" | tail -n 1)
    value=${value#\"}; value=${value%\"}
    opts="$opts $value"
  done
  printf '%s' "${opts//\$\{FLINK_LOG_PREFIX\}/$FLINK_STATE/logs/$name}"
}

# start_process NAME MAIN-CLASS jobmanager|taskmanager [-D key=value…]
start_process() {
  local name=$1 main=$2 kind=$3 params extra
  shift 3
  extra=("$@")
  params=$(resource_params "$([ "$kind" = jobmanager ] && echo GET_JM_RESOURCE_PARAMS || echo GET_TM_RESOURCE_PARAMS)") \
    || die "Flink could not compute the $name's memory (see $CONF_DIR/config.yaml)"
  [ "$(wc -l <<<"$params")" -ge 1 ] || die "no memory settings for the $name"
  # Started from the repository root: relative savepoint paths (flink stop --savepointPath savepoints/) resolve there.
  # shellcheck disable=SC2046,SC2086
  (cd "$ROOT" && SERVICE_LOG4J="$CONF_DIR/log4j2-cluster.xml" start_java_service "$name" "$FLINK_STATE" \
    "$(sed -n 1p <<<"$params") $(pom_property flink.jvm.opens) $(cds_flags "$kind" "$name") $(java_opts "$kind" "$name") -Dlog.file=$FLINK_STATE/logs/$name.json" \
    "$FLINK_LIB/*" "$main" --configDir "$CONF_DIR" $(sed -n 2p <<<"$params") -D "metrics.reporter.prom.jobName=flink-$name" "${extra[@]}")
}

# TaskManager N: a stable resource id and working directory, so that after a crash the restarted process replaces
# its old registration at once (the JobManager fails its tasks without waiting for a heartbeat timeout).
start_taskmanager() {
  local name
  name=$(tm_name "$1")
  mkdir -p "$FLINK_STATE/$name"
  log "starting the Flink TaskManager $name"
  # RocksDB allocates from many threads, and glibc's per-thread malloc arenas hold on to freed native
  # memory (Flink's images use jemalloc for this). Seed size, 3 GB TaskManager: RSS 4.1 GB without
  # this (and with RocksDB timers), 2.4 GB with it.
  MALLOC_ARENA_MAX=2 start_process "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner taskmanager \
    -D "taskmanager.resource-id=$name" -D "process.taskmanager.working-dir=$FLINK_STATE/$name"
}

rest_ready() {
  live_pid "$JM_PID" >/dev/null || return 2
  local registered
  registered=$(curl -sf "http://127.0.0.1:$WEB_UI_PORT/overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p')
  [ "${registered:-0}" -ge "$TASKMANAGERS" ]
}

# The numbers of the TaskManagers (1..TASKMANAGERS) that are not running.
missing_taskmanagers() {
  local n
  for ((n = 1; n <= TASKMANAGERS; n++)); do
    live_pid "$FLINK_STATE/$(tm_name "$n").pid" >/dev/null || echo "$n"
  done
}

# Starts what is not running: all processes, or after a crash only the one that died (a TaskManager
# re-registers with a restarted JobManager, a restarted TaskManager offers its slots again).
start() {
  local jm missing n
  jm=$(live_pid "$JM_PID" || true)
  missing=$(missing_taskmanagers)
  if [ -n "$jm" ] && [ -z "$missing" ]; then
    log "Flink already running (JobManager pid $jm, $TASKMANAGERS TaskManager(s)), web UI http://127.0.0.1:$WEB_UI_PORT"; return 0
  fi
  if [ -z "$jm" ]; then
    port_open "$WEB_UI_PORT" && die "port $WEB_UI_PORT is taken by another process; set WEB_UI_PORT"
    port_open "$FLINK_RPC_PORT" && die "port $FLINK_RPC_PORT is taken by another process; set FLINK_RPC_PORT"
  fi
  one_install_at_a_time ensure_lib
  render_conf
  if [ -z "$jm" ]; then
    log "starting the Flink JobManager (web UI http://127.0.0.1:$WEB_UI_PORT, logs $FLINK_STATE/logs)"
    start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint jobmanager
  fi
  for n in $missing; do
    start_taskmanager "$n"
  done
  if ! wait_until 120 "the Flink web UI with $TASKMANAGERS TaskManager(s) on port $WEB_UI_PORT" rest_ready; then
    # The .out files hold what escaped the logger; the JSON logs say why a process stopped.
    tail -n 20 "$FLINK_STATE/logs/jobmanager.out" "$FLINK_STATE/logs/taskmanager.out" >&2
    grep -h '"log.level":"\(ERROR\|WARN\)"' "$FLINK_STATE/logs/jobmanager.json" "$FLINK_STATE/logs/taskmanager.json" 2>/dev/null | tail -n 10 | cut -c1-2000 >&2 || true
    die "the Flink cluster did not start"
  fi
  log "Flink up (JobManager pid $(cat "$JM_PID"), TaskManager pid(s) $(taskmanager_pids)), web UI http://127.0.0.1:$WEB_UI_PORT"
}

taskmanager_pids() {
  local file pids=()
  for file in $(tm_pidfiles); do
    pids+=("$(live_pid "$file" || echo none)")
  done
  local IFS=,
  echo "${pids[*]:-none}"
}

stop() {
  local file
  for file in $(tm_pidfiles); do
    stop_pid "$file" "Flink TaskManager $(basename "$file" .pid)" 60
    keep_cds_archive taskmanager "$(basename "$file" .pid)"
  done
  stop_pid "$JM_PID" "Flink JobManager" 60
  keep_cds_archive jobmanager jobmanager
}

status() {
  local jm
  jm=$(live_pid "$JM_PID") || { echo "flink: down"; return 3; }
  echo "flink: up (JobManager pid $jm, TaskManager pid(s) $(taskmanager_pids), web UI http://127.0.0.1:$WEB_UI_PORT)"
}

registered_taskmanagers() { curl -sf "http://127.0.0.1:$WEB_UI_PORT/overview" | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p'; }

# A TaskManager beyond the running ones (make reindex runs its rebuild job there, beside the serving job's slots).
add_taskmanager() {
  local n=2 before
  live_pid "$JM_PID" >/dev/null || die "no Flink cluster running (make start-flink)"
  while live_pid "$FLINK_STATE/$(tm_name "$n").pid" >/dev/null; do n=$((n + 1)); done
  before=$(registered_taskmanagers)
  one_install_at_a_time ensure_lib
  start_taskmanager "$n"
  more_registered() { [ "$(registered_taskmanagers)" -gt "${before:-0}" ]; }
  wait_until 120 "TaskManager $(tm_name "$n") to register" more_registered || die "TaskManager $(tm_name "$n") did not register"
  echo "$n"
}

stop_taskmanager() {
  [[ "${1:-}" =~ ^[1-9][0-9]*$ ]] || die "usage: stack/flink.sh stop-taskmanager N"
  stop_pid "$FLINK_STATE/$(tm_name "$1").pid" "Flink TaskManager $(tm_name "$1")" 60
  keep_cds_archive taskmanager "$(tm_name "$1")"
}

wipe() {
  live_pid "$JM_PID" >/dev/null && die "stop Flink before wiping its state"
  rm -rf "$FLINK_STATE"
  log "Flink state removed (checkpoints, logs, conf); savepoints in $SAVEPOINT_DIR are kept"
}

case "${1:-}" in
  start|stop|status|wipe) "$1" ;;
  add-taskmanager) add_taskmanager ;;
  stop-taskmanager) stop_taskmanager "${2:-}" ;;
  crash-taskmanager) crash_pid "$FLINK_STATE/$(tm_name "${2:-1}").pid" "Flink TaskManager $(tm_name "${2:-1}")" ;;
  crash-jobmanager) crash_pid "$JM_PID" "Flink JobManager" ;;
  *) echo "usage: $0 start|stop|status|add-taskmanager|stop-taskmanager N|crash-taskmanager [N]|crash-jobmanager|wipe" >&2; exit 2 ;;
esac
