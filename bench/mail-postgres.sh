#!/usr/bin/env bash
# herald send (release, 4 connections per process) into Postfix's smtp-sink with the journal
# in SQLite, then in PostgreSQL (a throwaway cluster from scripts/test-postgres): one SQLite
# sender, one PostgreSQL sender, and three PostgreSQL senders on one digest together, side by
# side in one run, `ROUNDS` times (default 3) alternately. Messages per second from the wall
# time of the whole send (the three together: first start to last exit), and CPU seconds:
# herald's (all senders) and the PostgreSQL server's (every backend) during the send.
# `bench/mail-postgres.sh OLD NEW …` runs each case with each binary in turn, alternately.
# BENCH_PG_DELAY_MS=0.5: the senders reach the server through bench/latency-proxy.py, which
# holds every chunk that long each way, as a database on another host would.
# Results go in BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/mail-postgres"
if [ $# -gt 0 ]; then binaries=("$@"); else binaries=("${HERALD_BENCH_BIN:-$root/.build/release/herald}"); fi
herald="${binaries[0]}"
port="${BENCH_SMTP_PORT:-2526}"
n="${BENCH_SUBSCRIBERS:-20000}"
rounds="${ROUNDS:-3}"
for b in "${binaries[@]}"; do [ -x "$b" ] || { echo "mail-postgres.sh: $b: build first: make release" >&2; exit 1; }; done
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
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"
sender_port="$pg_port"
if [ -n "${BENCH_PG_DELAY_MS:-}" ]; then
  sender_port="${BENCH_PG_PROXY_PORT:-$((pg_port + 1))}"
  coproc proxy { exec python3 "$root/bench/latency-proxy.py" "$sender_port" "$pg_host" "$pg_port" "$BENCH_PG_DELAY_MS"; }
  read -r _ <&"${proxy[0]}"
  trap 'kill "$bench_sink_pid" "$proxy_PID" 2>/dev/null || true' EXIT
  echo "senders reach PostgreSQL through a proxy holding each chunk ${BENCH_PG_DELAY_MS} ms each way"
fi

bench_subscribers "$n" "$out/subscribers.csv"

# The subscribers once in SQLite, copied from there for each run (a fresh digest every time).
bench_publication "$out/seed" "$port"
"$herald" subscribers "$out/seed" import "$out/subscribers.csv" --state-dir "$out/seed/state" >/dev/null

# The server's CPU seconds so far: the postmaster, the backends it reaped, and those alive.
pg_cpu() {
  local pm tck
  pm="$(head -1 "$HERALD_TEST_POSTGRES_DIR/data/postmaster.pid")"
  tck="$(getconf CLK_TCK)"
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for c in $(pgrep -P "$pm"); do awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk -v t="$tck" '{ s += $1 } END { printf "%.2f", s / t }'
}

# fresh KIND: a publication with the subscribers and no digest; prints its folder.
round=0
fresh() {
  local pub="$out/run-$round-$1-$2"
  bench_publication "$pub" "$port"
  if [ "$1" = sqlite ]; then
    cp -R "$out/seed/state" "$pub/state"
  else
    local db="bench_${round}_$1_$2"
    psql_ -c "CREATE DATABASE $db"
    local url="${HERALD_TEST_POSTGRES_URL/\/herald\?//$db?}"
    "$herald" state copy "$out/seed" --state-dir "$out/seed/state" --to "$url" >/dev/null
    printf 'state: %s\n' "${url/:$pg_port\//:$sender_port/}" >> "$pub/herald.yml"
  fi
  echo "$pub"
}

# send BIN PUB SENDERS: that many `herald send` at once; prints the wall seconds of them all,
# herald's CPU seconds and the server's.
send() {
  local bin="$1" pub="$2" count="$3" pids=() started i cpu0
  cpu0="$(pg_cpu)"
  started="$(date +%s.%N)"
  for i in $(seq 1 "$count"); do
    /usr/bin/time -f '%U %S' -o "$pub/time-$i" "$bin" send "$pub" --state-dir "$pub/state" >"$pub/send-$i.out" 2>"$pub/send-$i.err" &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { echo "mail-postgres.sh: a sender failed:" >&2; cat "$pub/send-$((i + 1)).err" >&2; exit 1; }
  done
  awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
  cat "$pub"/time-* | awk '{ s += $1 + $2 } END { printf " %.2f", s }'
  awk -v a="$cpu0" -v b="$(pg_cpu)" 'BEGIN { printf " %.2f\n", b - a }'
}

# Every message sent once: the sum of the senders' "sent" counts is the list.
check() {
  local total
  total="$(cat "$1"/send-*.out | sed -nE 's/^digest #1: sent ([0-9]+),.*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
  [ "$total" = "$n" ] || { echo "mail-postgres.sh: $total of $n sent in $1" >&2; cat "$1"/send-*.out "$1"/send-*.err >&2; exit 1; }
}

echo "$n subscribers, 4 connections per sender, $(nproc) CPUs, ${rounds} rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${!binaries[@]}"; do echo "binary $((b + 1)): ${binaries[$b]}"; done
printf '%-22s %3s %8s %8s %10s %8s\n' "sender" "bin" "wall s" "msg/s" "herald CPU" "PG CPU"
for round in $(seq 1 "$rounds"); do
  for kind in sqlite pg1 pg3; do
    for b in "${!binaries[@]}"; do
      pub="$(fresh "$kind" "$b")"
      case "$kind" in
        sqlite) read -r wall cpu pgcpu < <(send "${binaries[$b]}" "$pub" 1); label="1_SQLite_sender" ;;
        pg1) read -r wall cpu pgcpu < <(send "${binaries[$b]}" "$pub" 1); label="1_PostgreSQL_sender" ;;
        pg3) read -r wall cpu pgcpu < <(send "${binaries[$b]}" "$pub" 3); label="3_PostgreSQL_senders" ;;
      esac
      check "$pub"
      [ "$kind" = sqlite ] && pgcpu="-"
      printf '%-22s %3s %8s %8.0f %10s %8s\n' "$label" "$((b + 1))" "$wall" "$(awk -v n="$n" -v w="$wall" 'BEGIN { print n / w }')" "$cpu" "$pgcpu" |
        tee -a "$out/results.txt"
    done
  done
done
echo "medians (msg/s, herald CPU s, PG CPU s):"
for label in 1_SQLite_sender 1_PostgreSQL_sender 3_PostgreSQL_senders; do
  for b in "${!binaries[@]}"; do
    awk -v l="$label" -v b="$((b + 1))" '$1 == l && $2 == b { print $4, $5, $6 }' "$out/results.txt" | awk -v l="$label" -v b="$((b + 1))" '
      { m[NR] = $1; c[NR] = $2; p[NR] = $3 }
      function median(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return a[int((n + 1) / 2)] }
      END { printf "  %-22s binary %s %6.0f msg/s %7.2f s %7s s\n", l, b, median(m, NR), median(c, NR), (p[1] == "-" ? "-" : median(p, NR)) }'
  done
done
