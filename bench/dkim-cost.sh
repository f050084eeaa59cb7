#!/usr/bin/env bash
# What DKIM signing costs `herald send`: one binary, one smtp-sink, the same publication
# without and with `dkim:` (Ed25519), sent alternately, ROUNDS rounds (default 20) of
# BENCH_SUBSCRIBERS (default 20,000). Each round is one pair, back to back, so the load
# other work puts on the machine (which moves single runs by ±20 %) falls on both halves
# alike; the median of the pairs' costs is the figure.
#   bench/dkim-cost.sh .build/release/herald
set -euo pipefail
herald="${1:?usage: bench/dkim-cost.sh HERALD_BINARY}"
export PATH="$PATH:/usr/sbin" HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"
port="${BENCH_SMTP_PORT:-2710}"; out="${BENCH_OUT:-/tmp/herald-dkim-cost}"; n="${BENCH_SUBSCRIBERS:-20000}"
rm -rf "$out"; mkdir -p "$out"
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"

bench_publication "$out/unsigned" "$port"
bench_publication "$out/signed" "$port" "$(bench_dkim "$herald" "$out/dkim.pem")"
bench_subscribers "$n" "$out/subs.csv"

# send PUBLICATION: a fresh journal, one send; prints "wall cpu".
send() {
  rm -rf "$out/state"; "$herald" subscribers "$1" import "$out/subs.csv" --state-dir "$out/state" >/dev/null
  /usr/bin/time -f "%e %U %S" -o "$out/t.txt" "$herald" send "$1" --state-dir "$out/state" > "$out/o.txt" 2>&1
  grep -q "sent $n, failed 0" "$out/o.txt" || { cat "$out/o.txt" >&2; exit 1; }
  awk '{ printf "%s %.2f", $1, $2 + $3 }' "$out/t.txt"
}
printf 'round  unsigned wall, cpu   Ed25519 wall, cpu   wall cost  cpu added\n'
for r in $(seq "${ROUNDS:-20}"); do
  read -r uw uc <<<"$(send "$out/unsigned")"
  read -r sw sc <<<"$(send "$out/signed")"
  awk -v r="$r" -v uw="$uw" -v uc="$uc" -v sw="$sw" -v sc="$sc" \
    'BEGIN { printf "%5d  %6.2f s %6.2f s   %6.2f s %6.2f s   %+7.1f %%  %+6.2f s\n", r, uw, uc, sw, sc, 100 * (sw / uw - 1), sc - uc }'
done | tee "$out/rounds.txt"
sort -g -k10 "$out/rounds.txt" | awk '{ cost[NR] = $10; sum += $10; cpu += $12 }
  END { m = (NR % 2) ? cost[(NR + 1) / 2] : (cost[NR / 2] + cost[NR / 2 + 1]) / 2
        printf "%d rounds: median wall cost %+.1f %%, mean %+.1f %%, range %+.1f to %+.1f %%; CPU added %.2f s per round\n",
               NR, m, sum / NR, cost[1], cost[NR], cpu / NR }'
