#!/usr/bin/env bash
# Two hub nodes on one machine, for the by-hand walk-through of docs/cluster.md: the same jar and conf/, the
# prod profile, one PostgreSQL database, the broker pair of conf/cluster/broker-pair.sh by its failover URL.
#
#   conf/cluster/hub-nodes.sh start          # node a on :8080, node b on :8081 (waits until both are UP)
#   conf/cluster/hub-nodes.sh status         # each node's /actuator/health
#   conf/cluster/hub-nodes.sh kill a|b       # kill -9 one node (the crash to try by hand)
#   conf/cluster/hub-nodes.sh start a|b      # start one again
#   conf/cluster/hub-nodes.sh stop           # both, cleanly
#
# Build the jar first: mvn -B package -DskipTests (target/yingyan-hub-*.jar). Start the pair first
# (conf/cluster/broker-pair.sh create && conf/cluster/broker-pair.sh start).
#
# Secrets come from the environment, as conf/application-prod.yaml and SecretGuard require (a node refuses to
# start with a demo value): YINGYAN_ID_HMAC_KEY, YINGYAN_QUARANTINE_KEY (32+ characters each),
# YINGYAN_OPERATOR_USER / YINGYAN_OPERATOR_PASSWORD, YINGYAN_METRICS_PASSWORD, YINGYAN_FEED_PROVINCE_PASSWORD,
# YINGYAN_PROVINCE_SECRET, YINGYAN_BROKER_USER / YINGYAN_BROKER_PASSWORD (the pair's, as broker-pair.sh made it).
# Optional: YINGYAN_DB_URL (default jdbc:postgresql://127.0.0.1:5432/yingyan_cluster), YINGYAN_DB_USER
# (postgres), YINGYAN_DB_PASSWORD; BROKER_HOST / PRIMARY_PORT / BACKUP_PORT as for broker-pair.sh or
# YINGYAN_BROKER_URL whole; NODES_DIR (data/hub-nodes: logs, pids, the shared drop folder); PORT_A / PORT_B
# (8080 / 8081); HUB_ARGS (more --key=value settings for both nodes).
#
# The walk-through turns off the department systems that are not there (approvals, housing fund, trading,
# penalties, procurement) and the province push; land-transfer reads NODES_DIR/drop (a shared mount or SFTP
# in the data centre) on whichever node leads adapter:land-transfer (the leader election of docs/cluster.md,
# hub.cluster.enabled on both nodes, named a and b; SOURCES_ON=a or b pins it to one node instead); both nodes
# serve the API, feed and console and consume the persist queue. Turn anything on again with HUB_ARGS (both
# nodes), HUB_ARGS_A, HUB_ARGS_B.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

NODES_DIR=${NODES_DIR:-$ROOT/data/hub-nodes}
PORT_A=${PORT_A:-8080}
PORT_B=${PORT_B:-8081}
BROKER_HOST=${BROKER_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-61716}
BACKUP_PORT=${BACKUP_PORT:-61816}
export SPRING_PROFILES_ACTIVE=prod
export YINGYAN_DB_URL=${YINGYAN_DB_URL:-jdbc:postgresql://127.0.0.1:5432/yingyan_cluster}
export YINGYAN_DB_USER=${YINGYAN_DB_USER:-postgres}
export YINGYAN_DB_PASSWORD=${YINGYAN_DB_PASSWORD:-}
# Both brokers; ha=true: the client learns the pair's topology and follows whichever is active, forever.
export YINGYAN_BROKER_URL=${YINGYAN_BROKER_URL:-"(tcp://$BROKER_HOST:$PRIMARY_PORT,tcp://$BROKER_HOST:$BACKUP_PORT)?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1&retryInterval=500&retryIntervalMultiplier=1.5&maxRetryInterval=5000"}

SECRETS=(YINGYAN_ID_HMAC_KEY YINGYAN_QUARANTINE_KEY YINGYAN_OPERATOR_USER YINGYAN_OPERATOR_PASSWORD
         YINGYAN_METRICS_PASSWORD YINGYAN_FEED_PROVINCE_PASSWORD YINGYAN_PROVINCE_SECRET
         YINGYAN_BROKER_USER YINGYAN_BROKER_PASSWORD)

port_of() { if [ "$1" = a ]; then echo "$PORT_A"; else echo "$PORT_B"; fi; }
pid_of() { cat "$NODES_DIR/node-$1.pid" 2>/dev/null || true; }
running() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
health() { curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port_of "$1")/actuator/health" || true; }

start_one() { # a|b
  local node=$1 jar
  if running "$node"; then echo "node $node is already running ($(pid_of "$node"))"; return; fi
  jar=$(ls "$ROOT"/target/yingyan-hub-*.jar 2>/dev/null | grep -v original | head -n 1 || true)
  if [ -z "$jar" ]; then echo "no target/yingyan-hub-*.jar: run 'mvn -B package -DskipTests' first" >&2; exit 2; fi
  mkdir -p "$NODES_DIR/drop"
  # shellcheck disable=SC2086 # HUB_ARGS is a list of --key=value words
  nohup java -Xmx512m -jar "$jar" --server.port="$(port_of "$node")" \
    --hub.adapters.approvals.enabled=false --hub.adapters.housing-fund.enabled=false \
    --hub.adapters.trading.enabled=false --hub.adapters.penalties.enabled=false \
    --hub.adapters.procurement.enabled=false --hub.province.enabled=false \
    --hub.cluster.enabled=true --hub.cluster.node-name="$node" \
    --hub.adapters.land-transfer.enabled="$([ -z "${SOURCES_ON:-}" ] || [ "$SOURCES_ON" = "$node" ] && echo true || echo false)" \
    --hub.adapters.land-transfer.drop-dir="$NODES_DIR/drop" \
    ${HUB_ARGS:-} $(if [ "$node" = a ]; then echo "${HUB_ARGS_A:-}"; else echo "${HUB_ARGS_B:-}"; fi) \
    >> "$NODES_DIR/node-$node.log" 2>&1 &
  echo $! > "$NODES_DIR/node-$node.pid"
  echo "node $node started ($!) on :$(port_of "$node"), log: $NODES_DIR/node-$node.log"
}

wait_up() { # a|b
  local node=$1
  for _ in $(seq 1 240); do
    # 200 = UP; a node answers 503 for a few seconds while Camel still starts its routes.
    if [ "$(health "$node")" = 200 ]; then echo "node $node is UP on :$(port_of "$node")"; return 0; fi
    if ! running "$node"; then echo "node $node exited; the end of its log:" >&2; tail -n 30 "$NODES_DIR/node-$node.log" >&2; return 1; fi
    sleep 1
  done
  echo "node $node was not UP within 240 s (see $NODES_DIR/node-$node.log)" >&2
  return 1
}

case "${1:-}" in
  start)
    for s in "${SECRETS[@]}"; do
      if [ -z "${!s:-}" ]; then echo "set $s (see the head of $0 and docs/cluster.md)" >&2; exit 2; fi
    done
    mkdir -p "$NODES_DIR"
    if [ -n "${2:-}" ]; then start_one "$2"; wait_up "$2"; exit 0; fi
    # One after the other: the first runs Flyway on an empty database, the second finds it migrated.
    start_one a; wait_up a
    start_one b; wait_up b
    echo "console: http://127.0.0.1:$PORT_A/console and http://127.0.0.1:$PORT_B/console; drop folder: $NODES_DIR/drop"
    ;;
  kill)
    node=${2:?kill a|b}
    if running "$node"; then kill -9 "$(pid_of "$node")"; echo "node $node killed (-9)"; else echo "node $node is not running"; fi
    ;;
  stop)
    for node in a b; do
      if running "$node"; then
        p=$(pid_of "$node"); kill "$p"
        for _ in $(seq 1 60); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
        if kill -0 "$p" 2>/dev/null; then kill -9 "$p"; fi
        echo "node $node stopped"
      fi
    done
    ;;
  status)
    for node in a b; do
      if running "$node"; then
        echo "node $node: running (pid $(pid_of "$node"), :$(port_of "$node")): $(curl -s -m 3 "http://127.0.0.1:$(port_of "$node")/actuator/health" || echo 'no answer')"
      else
        echo "node $node: not running"
      fi
    done
    ;;
  *)
    sed -n '2,28p' "$0"; exit 2
    ;;
esac
