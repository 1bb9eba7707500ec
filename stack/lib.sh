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

# Resolves the dependencies of stack/dist/<name>/pom.xml from Maven Central into a folder.
resolve_dist() {
  local name=$1 out=$2
  log "resolving $name from Maven Central into $out"
  mkdir -p "$out"
  mvn -q -B -f "$ROOT/stack/dist/$name/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$out" -DincludeScope=runtime >&2 \
    || die "could not resolve $name from Maven Central (see the Maven output above)"
}

# Reads a version property from the root pom (the single place versions are pinned).
pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -n1
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Waits until a command succeeds, up to a timeout in seconds.
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then log "timed out after ${timeout}s waiting for $what"; return 1; fi
    sleep 0.5
  done
}

ensure_service_user
# Service binaries resolved from Maven Central are shared by every state folder of the project.
DIST_DIR=$(reachable_dir "$ROOT/var")/dist
# All runtime state (data, logs, pid files) lives under VAR_DIR (git-ignored ./var by default;
# tests point it at a folder of their own).
VAR_DIR=$(reachable_dir "${VAR_DIR:-$ROOT/var}")
