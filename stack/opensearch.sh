#!/usr/bin/env bash
# The one way to run the native OpenSearch node (single node, no security plugin) of the stack.
#   stack/opensearch.sh start|stop|crash|status|wipe
# Artifact: org.opensearch.distribution.integ-test-zip:opensearch (zip, version in pom.xml): the
# bare distribution, without bundled JDK or plugins; it runs on the JDK 17 found on the PATH.
# Environment: OPENSEARCH_PORT (9200), OPENSEARCH_TRANSPORT_PORT (9300), OPENSEARCH_HEAP
# (-Xms1g -Xmx1g), OPENSEARCH_JAVA_HOME (the JDK of `java` on the PATH), VAR_DIR (./var).
# OpenSearch refuses root: as root it runs as the service user, with its config, data and logs
# in $VAR_DIR/opensearch owned by that user. Logs: one JSON event per line, in
# $VAR_DIR/opensearch/logs/data-sync_server.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OPENSEARCH_PORT=${OPENSEARCH_PORT:-9200}
OPENSEARCH_TRANSPORT_PORT=${OPENSEARCH_TRANSPORT_PORT:-9300}
OPENSEARCH_HEAP=${OPENSEARCH_HEAP:--Xms1g -Xmx1g}
OPENSEARCH_VERSION=$(pom_property opensearch.version)
OS_HOME=$DIST_DIR/opensearch-$OPENSEARCH_VERSION
OS_STATE=$VAR_DIR/opensearch
OS_CONF=$OS_STATE/config
OS_DATA=$OS_STATE/data
OS_LOGS=$OS_STATE/logs
OS_OUT=$OS_LOGS/opensearch.out
CLUSTER_NAME=data-sync
PIDFILE=$OS_STATE/opensearch.pid
URL=http://127.0.0.1:$OPENSEARCH_PORT

ensure_dist() {
  [ -x "$OS_HOME/bin/opensearch" ] && return 0
  local zips=$DIST_DIR/opensearch-zip
  rm -rf "$zips" "$OS_HOME.partial"
  resolve_dist opensearch "$zips"
  mkdir -p "$OS_HOME.partial"
  unzip -q "$zips"/opensearch-*.zip -d "$OS_HOME.partial"
  # Built aside and moved in at the end, so an interrupted unzip is never taken for a distribution.
  mv "$OS_HOME.partial/opensearch-$OPENSEARCH_VERSION" "$OS_HOME"
  rm -rf "$zips" "$OS_HOME.partial"
  chmod -R a+rX "$OS_HOME"
}

java_home() {
  if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then echo "$OPENSEARCH_JAVA_HOME"; return; fi
  local java
  java=$(command -v java) || die "no java on the PATH; set OPENSEARCH_JAVA_HOME to a JDK 17"
  dirname "$(dirname "$(readlink -f "$java")")"
}

# The node's config folder: the distribution's config/ (the keystore OpenSearch creates there
# on its first start is kept), with the settings of this stack, rewritten on every start.
write_config() {
  service_dir "$OS_STATE"
  service_dir "$OS_CONF"
  service_dir "$OS_DATA"
  service_dir "$OS_LOGS"
  service_dir "$OS_STATE/tmp"
  cp -r "$OS_HOME/config/." "$OS_CONF/"
  cat >"$OS_CONF/opensearch.yml" <<YML
# Written by stack/opensearch.sh on every start; edit the script, not this file.
cluster.name: $CLUSTER_NAME
node.name: native
discovery.type: single-node
network.host: 127.0.0.1
http.port: $OPENSEARCH_PORT
transport.port: $OPENSEARCH_TRANSPORT_PORT
path.data: $OS_DATA
path.logs: $OS_LOGS
# A full development disk must not turn the indexes read-only.
cluster.routing.allocation.disk.threshold_enabled: false
YML
  # The heap comes from OPENSEARCH_HEAP; the files the JVM writes itself (GC log, fatal error
  # log, heap dump) go to the node's logs instead of the (read-only) distribution folder.
  sed -i -e '/^-Xm[sx]/d' \
    -e "s#^-XX:HeapDumpPath=.*#-XX:HeapDumpPath=$OS_LOGS#" \
    -e "s#^-XX:ErrorFile=logs/#-XX:ErrorFile=$OS_LOGS/#" \
    -e "s#file=logs/gc.log#file=$OS_LOGS/gc.log#" "$OS_CONF/jvm.options"
  # JSON logs only: drop the console and the plain-text ("_old") twins of the JSON appenders.
  sed -i -e '/^appender\.\(console\|[a-z_]*_old\|search_request_slowlog_log_appender\)\./d' \
    -e '/appenderRef\.\(console\|[a-z_]*_old\|search_request_slowlog_log_appender\)\.ref/d' \
    "$OS_CONF/log4j2.properties"
  if is_root; then chown -R "$SERVICE_USER:$SERVICE_USER" "$OS_CONF"; fi
}

health() { curl -sf "$URL/_cluster/health?wait_for_status=yellow&timeout=1s"; }

cluster_status() {
  curl -sf "$URL/_cluster/health" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

show_logs() {
  tail -n 20 "$OS_OUT" >&2 2>/dev/null || true
  tail -n 10 "$OS_LOGS/${CLUSTER_NAME}_server.json" >&2 2>/dev/null || true
}

start() {
  one_install_at_a_time ensure_dist
  if pid=$(live_pid "$PIDFILE"); then log "OpenSearch already running (pid $pid) on $URL"; return 0; fi
  [ "$OPENSEARCH_PORT" != "$OPENSEARCH_TRANSPORT_PORT" ] || die "OPENSEARCH_PORT and OPENSEARCH_TRANSPORT_PORT must differ"
  port_open "$OPENSEARCH_PORT" && die "port $OPENSEARCH_PORT is taken by another process; set OPENSEARCH_PORT"
  port_open "$OPENSEARCH_TRANSPORT_PORT" \
    && die "port $OPENSEARCH_TRANSPORT_PORT is taken by another process; set OPENSEARCH_TRANSPORT_PORT"
  write_config
  rm -f "$PIDFILE"
  export OPENSEARCH_JAVA_HOME
  OPENSEARCH_JAVA_HOME=$(java_home)
  export OPENSEARCH_PATH_CONF=$OS_CONF OPENSEARCH_TMPDIR=$OS_STATE/tmp
  export OPENSEARCH_JAVA_OPTS="$OPENSEARCH_HEAP ${OPENSEARCH_JAVA_OPTS:-}"
  log "starting OpenSearch $OPENSEARCH_VERSION on $URL (logs: $OS_LOGS)"
  # -p: OpenSearch writes the PID of its JVM there (bin/opensearch is only a launcher).
  # setsid -w: should setsid have to fork, the launcher still lives as long as the node.
  as_service_user setsid -w "$OS_HOME/bin/opensearch" -p "$PIDFILE" >"$OS_OUT" 2>&1 </dev/null &
  local launcher=$! deadline=$((SECONDS + 120))
  until health >/dev/null 2>&1; do
    if ! pid_alive "$launcher" && ! live_pid "$PIDFILE" >/dev/null; then
      show_logs; die "OpenSearch exited during startup"
    fi
    if [ $SECONDS -ge $deadline ]; then
      show_logs; log "timed out after 120s waiting for OpenSearch on $URL"
      stop_pid "$PIDFILE" OpenSearch 30
      pid_alive "$launcher" && kill -KILL "$launcher"
      die "OpenSearch did not start"
    fi
    sleep 0.5
  done
  log "OpenSearch up (pid $(cat "$PIDFILE")), cluster status $(cluster_status)"
}

stop() { stop_pid "$PIDFILE" OpenSearch 60; }

crash() { crash_pid "$PIDFILE" "OpenSearch"; }

status() {
  local pid state
  if pid=$(live_pid "$PIDFILE"); then
    state=$(cluster_status) || true
    echo "opensearch: up (pid $pid, $URL, cluster status ${state:-unknown: no answer on HTTP})"
    [ -n "$state" ]
  else
    echo "opensearch: down"; return 3
  fi
}

wipe() {
  live_pid "$PIDFILE" >/dev/null && die "stop OpenSearch before wiping its data"
  rm -rf "$OS_STATE"
  log "OpenSearch data removed"
}

case "${1:-}" in
  start|stop|crash|status|wipe) "$1" ;;
  *) echo "usage: $0 start|stop|crash|status|wipe" >&2; exit 2 ;;
esac
