#!/usr/bin/env bash
# The hub's Artemis primary/backup pair (replication) on one machine, for the by-hand walk-through of
# docs/cluster.md; in the data centre the same two broker.xml files go on two hosts (BROKER_HOST/PEER_HOST).
#
#   conf/cluster/broker-pair.sh create     # two instances from the apache-artemis distribution the build unpacks
#   conf/cluster/broker-pair.sh start      # primary, then backup (waits until the backup is a synchronized replica)
#   conf/cluster/broker-pair.sh status     # which one is active, whether the replica is in sync
#   conf/cluster/broker-pair.sh kill primary|backup    # kill -9 one of them (the failover to try by hand)
#   conf/cluster/broker-pair.sh start primary|backup   # start one again (a restarted primary takes back over)
#                                          # `start primary` then watches the failback up to 3 min: a backup that
#                                          # ends by itself there (Artemis 2.40 restarts it in its own JVM and that
#                                          # can be interrupted under load: AMQ222232, exit 0) is started again,
#                                          # as the service manager does in production (docs/cluster.md)
#   conf/cluster/broker-pair.sh stop       # both, cleanly
#
# Secrets come from the environment, never from this file:
#   YINGYAN_BROKER_USER / YINGYAN_BROKER_PASSWORD   the hub's login on the brokers (the hubs use the same pair)
#   ARTEMIS_CLUSTER_USER / ARTEMIS_CLUSTER_PASSWORD the brokers' login on each other (replication)
# Optional: ARTEMIS_HOME (default: target/artemis-dist/apache-artemis-2.40.0, unpacked by
# `mvn dependency:unpack@unpack-artemis` or any `mvn verify`), PAIR_DIR (default: data/broker-pair),
# BROKER_HOST (127.0.0.1), PRIMARY_PORT (61716), BACKUP_PORT (61816). CORE only, on ports of their own:
# RabbitMQ and Mosquitto hold 5672 and 1883, the hub's embedded broker 61616.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)

DIST=$ROOT/target/artemis-dist
ARTEMIS_HOME=${ARTEMIS_HOME:-$DIST/apache-artemis-2.40.0}
PAIR_DIR=${PAIR_DIR:-$ROOT/data/broker-pair}
BROKER_HOST=${BROKER_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-61716}
BACKUP_PORT=${BACKUP_PORT:-61816}

need() { # name of an environment variable that must be set
  if [ -z "${!1:-}" ]; then echo "set $1 (see the head of $0)" >&2; exit 2; fi
}

port_of() { if [ "$1" = primary ]; then echo "$PRIMARY_PORT"; else echo "$BACKUP_PORT"; fi; }
pid_of() { cat "$PAIR_DIR/$1/data/yingyan.pid" 2>/dev/null || true; }
running() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
log_of() { echo "$PAIR_DIR/$1/log/artemis.log"; }

create_one() { # primary|backup
  local role=$1 dir=$PAIR_DIR/$1
  if [ -d "$dir" ]; then echo "$dir exists: left as it is (remove it to create afresh)"; return; fi
  "$ARTEMIS_HOME/bin/artemis" create "$dir" --silent --require-login \
    --user "$YINGYAN_BROKER_USER" --password "$YINGYAN_BROKER_PASSWORD" \
    --host "$BROKER_HOST" --no-web --no-amqp-acceptor --no-hornetq-acceptor --no-mqtt-acceptor \
    --no-stomp-acceptor --java-memory 512M >/dev/null
  # The committed broker.xml replaces the generated one; the secrets go into the instance only.
  sed -e "s|@HOST@|$BROKER_HOST|g" -e "s|@PEER_HOST@|$BROKER_HOST|g" \
      -e "s|@PRIMARY_PORT@|$PRIMARY_PORT|g" -e "s|@BACKUP_PORT@|$BACKUP_PORT|g" \
      -e "s|@CLUSTER_USER@|$ARTEMIS_CLUSTER_USER|g" -e "s|@CLUSTER_PASSWORD@|$ARTEMIS_CLUSTER_PASSWORD|g" \
      "$ROOT/conf/cluster/broker-$role.xml" > "$dir/etc/broker.xml"
  chmod 600 "$dir/etc/broker.xml"
  echo "created $role in $dir (port $(port_of "$role"))"
}

start_one() { # primary|backup
  local role=$1 dir=$PAIR_DIR/$1
  if [ ! -d "$dir" ]; then echo "no $dir: run '$0 create' first" >&2; exit 2; fi
  if running "$role"; then echo "$role is already running ($(pid_of "$role"))"; return; fi
  mkdir -p "$dir/log"
  nohup "$dir/bin/artemis" run >> "$dir/log/console.log" 2>&1 &
  echo $! > "$dir/data/yingyan.pid"
  echo "$role started ($!), log: $(log_of "$role")"
}

wait_for() { # what, seconds, command
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 "$secs"); do
    if "$@"; then return 0; fi
    sleep 1
  done
  echo "$what: not after ${secs}s (see $PAIR_DIR/*/log/artemis.log)" >&2
  return 1
}

# AMQ221007: Server is now active. AMQ221024: Backup server … is synchronized with primary server.
# AMQ221031: backup announced. AMQ221010: Backup Server is now active (the failover).
state() { # one line: the role's state as its log says it
  local role=$1 log
  log=$(log_of "$role")
  if ! running "$role"; then
    if [ "$role" = backup ] && [ -s "$PAIR_DIR/backup/data/yingyan.pid" ]; then
      echo "backup: not running (ended; after a failback that is Artemis's interrupted restart: '$0 start backup')"
    else
      echo "$role: not running"
    fi
    return
  fi
  local last
  last=$(grep -Eo 'AMQ2210(07|10|24|31|02|01|00|09|80|81|82)[^$]*' "$log" 2>/dev/null | tail -n 1 | cut -c1-110 || true)
  echo "$role: running (pid $(pid_of "$role"), port $(port_of "$role")); last state line: ${last:-starting}"
}
in_sync() { grep -q 'AMQ221024' "$(log_of backup)" 2>/dev/null; }
port_open() { (exec 3<>"/dev/tcp/$BROKER_HOST/$1") 2>/dev/null; }
log_lines() { wc -l < "$(log_of backup)" 2>/dev/null || echo 0; }
announced_since() { tail -n "+$(( $1 + 1 ))" "$(log_of backup)" 2>/dev/null | grep -q 'AMQ221031'; }

# After `start primary` with the backup running: the failback. The backup stands down and restarts in its JVM
# as the replica (AMQ221039); if that JVM ends instead, start the backup again on its journal (it re-syncs).
watch_failback() {
  local mark=$1
  for _ in $(seq 1 180); do
    if announced_since "$mark"; then echo "failback done: the backup is the primary's replica again"; return 0; fi
    if ! running backup; then
      echo "the backup ended by itself during the failback; starting it again on its journal"
      start_one backup
      mark=$(log_lines)
    fi
    sleep 1
  done
  echo "failback: the backup not announced as replica after 180 s (see $(log_of backup))" >&2
  return 1
}

case "${1:-}" in
  create)
    need YINGYAN_BROKER_USER; need YINGYAN_BROKER_PASSWORD; need ARTEMIS_CLUSTER_USER; need ARTEMIS_CLUSTER_PASSWORD
    if [ ! -x "$ARTEMIS_HOME/bin/artemis" ]; then
      echo "no Artemis distribution at $ARTEMIS_HOME: run 'mvn -B dependency:unpack@unpack-artemis' first" >&2; exit 2
    fi
    create_one primary
    create_one backup
    ;;
  start)
    if [ "${2:-}" = primary ] && running backup; then
      mark=$(log_lines); start_one primary; watch_failback "$mark"; exit $?
    fi
    if [ -n "${2:-}" ]; then start_one "$2"; exit 0; fi
    start_one primary
    wait_for "the primary accepting on $PRIMARY_PORT" 90 port_open "$PRIMARY_PORT"
    start_one backup
    wait_for "the backup synchronized with the primary" 120 in_sync
    echo "pair up: primary active on $PRIMARY_PORT, backup a synchronized replica (takes over on $BACKUP_PORT)"
    echo "hub URL: (tcp://$BROKER_HOST:$PRIMARY_PORT,tcp://$BROKER_HOST:$BACKUP_PORT)?ha=true&reconnectAttempts=-1&initialConnectAttempts=-1"
    ;;
  kill)
    role=${2:?kill primary|backup}
    if running "$role"; then kill -9 "$(pid_of "$role")"; echo "$role killed (-9)"; else echo "$role is not running"; fi
    ;;
  stop)
    for role in backup primary; do
      if running "$role"; then
        p=$(pid_of "$role"); kill "$p"
        for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || break; sleep 1; done
        if kill -0 "$p" 2>/dev/null; then kill -9 "$p"; fi
        echo "$role stopped"
      fi
    done
    ;;
  status)
    state primary
    state backup
    for role in primary backup; do
      if port_open "$(port_of "$role")"; then echo "$role accepts clients on $(port_of "$role") (active)"; fi
    done
    ;;
  *)
    sed -n '2,22p' "$0"; exit 2
    ;;
esac
