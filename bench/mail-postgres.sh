#!/usr/bin/env bash
# herald send (release, 4 connections per process) into Postfix's smtp-sink with the journal
# in SQLite, then in PostgreSQL (a throwaway cluster from scripts/test-postgres): one SQLite
# sender, one PostgreSQL sender, and three PostgreSQL senders on one digest together, side by
# side in one run, `ROUNDS` times (default 3) alternately. Messages per second from the wall
# time of the whole send (the three together: first start to last exit). Results go in
# BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/mail-postgres"
herald="${HERALD_BENCH_BIN:-$root/.build/release/herald}"
port="${BENCH_SMTP_PORT:-2526}"
n="${BENCH_SUBSCRIBERS:-20000}"
rounds="${ROUNDS:-3}"
[ -x "$herald" ] || { echo "mail-postgres.sh: build first: swift build -c release" >&2; exit 1; }
command -v smtp-sink >/dev/null || [ -x /usr/sbin/smtp-sink ] || { echo "mail-postgres.sh: smtp-sink missing (Debian package postfix)" >&2; exit 1; }
export PATH="$PATH:/usr/sbin"
export HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"

# A cluster of its own unless one is given (scripts/test-postgres run exports its URL).
if [ -z "${HERALD_TEST_POSTGRES_URL:-}" ]; then
  exec "$root/scripts/test-postgres" run "$0" "$@"
fi
export HERALD_STATE_PASSWORD
bindir="${HERALD_TEST_POSTGRES_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
pg_host="$(echo "$HERALD_TEST_POSTGRES_URL" | sed -E 's|^postgresql://([^:/]+):([0-9]+)/.*|\1|')"
pg_port="$(echo "$HERALD_TEST_POSTGRES_URL" | sed -E 's|^postgresql://([^:/]+):([0-9]+)/.*|\2|')"
psql_() { PGPASSWORD="$HERALD_STATE_PASSWORD" "$bindir/psql" -h "$pg_host" -p "$pg_port" -U herald -d herald -qAt "$@"; }
# The test cluster runs with fsync off; a database that keeps what it commits (as SQLite's
# journal does, synchronous = FULL) has it on, so the cluster restarts with the default.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
as_owner "$bindir/pg_ctl" -D "$HERALD_TEST_POSTGRES_DIR/data" -w -t 60 -l "$HERALD_TEST_POSTGRES_DIR/server.log" \
  -o "-h $pg_host -p $pg_port -k $HERALD_TEST_POSTGRES_DIR -c max_connections=200" restart >/dev/null
echo "PostgreSQL $(psql_ -c 'SHOW server_version'), fsync $(psql_ -c 'SHOW fsync'), synchronous_commit $(psql_ -c 'SHOW synchronous_commit')"

rm -rf "$out" && mkdir -p "$out"
sink_user=(); [ "$(id -u)" = 0 ] && sink_user=(-u nobody)   # smtp-sink refuses to run as root
smtp-sink "${sink_user[@]}" -c "127.0.0.1:$port" 1000 >/dev/null &
sink=$!
trap 'kill $sink 2>/dev/null' EXIT
sleep 0.5

# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_subscribers "$n" "$out/subscribers.csv"

# The subscribers once in SQLite, copied from there for each run (a fresh digest every time).
bench_publication "$out/seed" "$port"
"$herald" subscribers "$out/seed" import "$out/subscribers.csv" --state-dir "$out/seed/state" >/dev/null

# fresh KIND: a publication with the subscribers and no digest; prints its folder.
round=0
fresh() {
  local pub="$out/run-$round-$1"
  bench_publication "$pub" "$port"
  if [ "$1" = sqlite ]; then
    cp -R "$out/seed/state" "$pub/state"
  else
    local db="bench_${round}_$1"
    psql_ -c "CREATE DATABASE $db"
    local url="${HERALD_TEST_POSTGRES_URL/\/herald\?//$db?}"
    "$herald" state copy "$out/seed" --state-dir "$out/seed/state" --to "$url" >/dev/null
    printf 'state: %s\n' "$url" >> "$pub/herald.yml"
  fi
  echo "$pub"
}

# send PUB SENDERS: that many `herald send` at once; prints the wall seconds of them all.
send() {
  local pub="$1" count="$2" pids=() started i
  started="$(date +%s.%N)"
  for i in $(seq 1 "$count"); do
    "$herald" send "$pub" --state-dir "$pub/state" >"$pub/send-$i.out" 2>"$pub/send-$i.err" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "mail-postgres.sh: a sender failed:" >&2; cat "$pub/send-$((i + 1)).err" >&2; exit 1; }
  done
  awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
}

# Every message sent once: the sum of the senders' "sent" counts is the list.
check() {
  local total
  total="$(cat "$1"/send-*.out | sed -nE 's/^digest #1: sent ([0-9]+),.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
  [ "$total" = "$n" ] || { echo "mail-postgres.sh: $total of $n sent in $1" >&2; cat "$1"/send-*.out "$1"/send-*.err >&2; exit 1; }
}

echo "$n subscribers, 4 connections per sender, $(nproc) CPUs, ${rounds} rounds"
printf '%-28s %8s %8s\n' "sender" "wall s" "msg/s"
for round in $(seq 1 "$rounds"); do
  for kind in sqlite pg1 pg3; do
    pub="$(fresh "$kind")"
    case "$kind" in
      sqlite) wall="$(send "$pub" 1)"; label="1 SQLite sender" ;;
      pg1) wall="$(send "$pub" 1)"; label="1 PostgreSQL sender" ;;
      pg3) wall="$(send "$pub" 3)"; label="3 PostgreSQL senders" ;;
    esac
    check "$pub"
    printf '%-28s %8s %8.0f\n' "$label" "$wall" "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n / w }')" | tee -a "$out/results.txt"
  done
done
echo "medians:"
for label in "1 SQLite sender" "1 PostgreSQL sender" "3 PostgreSQL senders"; do
  grep "^$label " "$out/results.txt" | awk '{ print $NF }' | sort -n | awk -v l="$label" '{ a[NR] = $1 } END { printf "  %-26s %6.0f msg/s\n", l, a[int((NR + 1) / 2)] }'
done
