# Shared helpers of the native service scripts (sourced, not run).
# Every service of the stack is started by exactly one script in stack/; make targets,
# tests and benchmarks all go through these scripts.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Servers that refuse to run as root (PostgreSQL, OpenSearch) run as this unprivileged user
# when the scripts are invoked by root, as in CI.
SERVICE_USER=${SERVICE_USER:-dsos}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

ensure_service_user() {
  is_root || return 0
  id -u "$SERVICE_USER" >/dev/null 2>&1 && return 0
  log "creating system user '$SERVICE_USER' to run servers that refuse root"
  useradd --system --no-create-home --user-group --shell /usr/sbin/nologin "$SERVICE_USER"
}

# Runs a command as the service user when we are root, as ourselves otherwise.
as_service_user() {
  if is_root; then
    setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}

# Creates a state folder and prints its real path. As root, the service user must be able to
# reach it; a project checked out under a private home (/root is 0700) cannot give that, so the
# folder then becomes a symlink to a per-project folder under /var/lib, and the real path (which
# the service user can reach) is what the scripts hand to the servers.
reachable_dir() {
  local dir=$1
  if [ ! -e "$dir" ]; then
    local parent
    parent=$(dirname "$dir")
    mkdir -p "$parent"
    if is_root && ! as_service_user test -x "$parent"; then
      local target
      target=/var/lib/data-sync-opensearch/$(printf '%s' "$dir" | sha1sum | cut -c1-12)
      mkdir -p "$target"
      chmod 755 /var/lib/data-sync-opensearch "$target"
      ln -s "$target" "$dir"
      log "'$SERVICE_USER' cannot reach $parent; $dir links to $target"
    else
      mkdir -p "$dir"
    fi
  fi
  (cd "$dir" && pwd -P)
}

# A folder the service user owns (created if needed).
service_dir() {
  mkdir -p "$1"
  if is_root; then chown "$SERVICE_USER:$SERVICE_USER" "$1"; fi
}

# Resolves the dependencies of stack/dist/<name>/pom.xml from Maven Central into a folder,
# with the version properties it uses taken from the root pom.
resolve_dist() {
  local name=$1 out=$2 property
  local versions=()
  for property in $(grep -o '\${[a-z0-9.-]*version}' "$ROOT/stack/dist/$name/pom.xml" | sort -u | tr -d '${}'); do
    versions+=("-D$property=$(pom_property "$property")")
  done
  log "resolving $name from Maven Central into $out"
  mkdir -p "$out"
  mvn -q -B -f "$ROOT/stack/dist/$name/pom.xml" "${versions[@]}" dependency:copy-dependencies \
    -DoutputDirectory="$out" -DincludeScope=runtime >&2 \
    || die "could not resolve $name from Maven Central (see the Maven output above)"
}

# The agent's jar into its folder (run under one_install_at_a_time).
install_metrics_agent() {
  [ -f "$1/.complete" ] && return 0
  rm -rf "$1"
  resolve_dist metrics-agent "$1"
  touch "$1/.complete"
}

# The JVM flag that serves this JVM's MBeans in Prometheus format on 127.0.0.1:<port>/metrics, with the
# rules of monitoring/<rules> (the Prometheus JMX exporter's agent, resolved from Maven Central once).
#   metrics_agent <port> <rules-file-name>
metrics_agent() {
  local dir
  dir=$DIST_DIR/metrics-agent-$(pom_property jmx-exporter.version)
  one_install_at_a_time install_metrics_agent "$dir"
  printf -- '-javaagent:%s=127.0.0.1:%s:%s' "$(compgen -G "$dir/jmx_prometheus_javaagent-*.jar" | head -n1)" "$1" "$ROOT/monitoring/$2"
}

# Runs an install step (a function that first checks whether its work is done) under a lock on
# var/dist: two stacks of one checkout started at once (a test's beside `make up`'s) never fill the
# same folder together.
one_install_at_a_time() {
  mkdir -p "$DIST_DIR"
  (
    flock 9
    "$@"
  ) 9>"$DIST_DIR/.install.lock"
}

# Reads a version property from the root pom (the single place versions are pinned).
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n1
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Waits until a command succeeds, up to a timeout in seconds. A command answering 2 means the
# process it waits for is gone: no point waiting out the timeout.
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout)) status
  while true; do
    status=0
    "$@" >/dev/null 2>&1 || status=$?
    [ $status -eq 0 ] && return 0
    if [ $status -eq 2 ]; then log "the process exited while waiting for $what"; return 1; fi
    if [ $SECONDS -ge $deadline ]; then log "timed out after ${timeout}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fills @NAME@ placeholders of a template from the variables of the same name.
render_template() {
  local template=$1 out=$2 name
  cp "$template" "$out"
  for name in $(grep -o '@[A-Z_]*@' "$template" | sort -u | tr -d @); do
    sed -i "s|@$name@|${!name}|g" "$out"
  done
}

# Starts a JVM service in its own session (so it outlives the calling shell), records its PID.
#   start_java_service <name> <state-dir> <jvm-flags> <classpath> <main-class> [args…]
# SERVICE_LOG4J overrides the log4j2 configuration (it must write ${sys:service.log.dir}/${sys:service.name}.json).
start_java_service() {
  local name=$1 state=$2 heap=$3 classpath=$4; shift 4
  mkdir -p "$state/logs"
  # shellcheck disable=SC2086
  setsid java $heap -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="${SERVICE_LOG4J:-$ROOT/stack/conf/log4j2-service.xml}" \
    -Dservice.name="$name" -Dservice.log.dir="$state/logs" \
    -cp "$classpath" "$@" >"$state/logs/$name.out" 2>&1 </dev/null &
  echo $! >"$state/$name.pid"
}

# The PID recorded for a service, if that process is still alive.
live_pid() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  pid_alive "$pid" && echo "$pid"
}

# Simulates a crash: SIGKILL, no clean shutdown (recovery tests and chaos runs).
crash_pid() {
  local pidfile=$1 name=$2 pid
  pid=$(live_pid "$pidfile") || { log "$name not running"; return 0; }
  kill -KILL "$pid"; rm -f "$pidfile"
  # SIGKILL is delivered asynchronously: until the process is reaped its ports may still answer
  # (its main thread turns zombie while the other threads are still tearing down).
  local deadline=$((SECONDS + 30))
  while pid_alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  log "$name killed (pid $pid)"
}

# Stops the process recorded in a pid file: TERM, then KILL after a grace period. Sets STOPPED_BY to
# term, kill or none (it was not running).
stop_pid() {
  local pidfile=$1 name=$2 grace=${3:-60} pid
  STOPPED_BY=none
  if ! pid=$(live_pid "$pidfile"); then
    rm -f "$pidfile"; log "$name not running"; return 0
  fi
  kill -TERM "$pid"
  STOPPED_BY=term
  local deadline=$((SECONDS + grace))
  while pid_alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  if pid_alive "$pid"; then
    log "$name did not stop within ${grace}s; killing pid $pid"
    kill -KILL "$pid"
    STOPPED_BY=kill
  fi
  rm -f "$pidfile"
  log "$name stopped (pid $pid)"
}

ensure_service_user
# Service binaries resolved from Maven Central are shared by every state folder of the project.
DIST_DIR=$(reachable_dir "$ROOT/var")/dist
# All runtime state (data, logs, pid files) lives under VAR_DIR (git-ignored ./var by default;
# tests point it at a folder of their own).
VAR_DIR=$(reachable_dir "${VAR_DIR:-$ROOT/var}")
