#!/usr/bin/env bash
# Old and new herald binaries alternately: `herald send` of 20,000 subscribers into Postfix's
# smtp-sink, wall and CPU (user+sys) time per run, ROUNDS rounds (default 3). CPU time moves
# less than wall time on a shared machine.
#   bench/mail-alternate.sh /tmp/herald-before .build/release/herald
set -euo pipefail
export PATH="$PATH:/usr/sbin" HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"
port="${BENCH_SMTP_PORT:-2700}"; out="${BENCH_OUT:-/tmp/herald-mail-alternate}"; mkdir -p "$out"
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"
# BENCH_EXTRA_YAML: more settings, e.g. a dkim: section to measure signing;
# BENCH_DIGEST_YAML: more digest: keys, e.g. "  bounce_address: bounces@weekly.example.org" (VERP).
pub=$out/pub; rm -rf $pub; bench_publication "$pub" "$port" "${BENCH_EXTRA_YAML:-}" "${BENCH_DIGEST_YAML:-}"
bench_subscribers 20000 $out/subs.csv
for r in $(seq ${ROUNDS:-3}); do for b in "$@"; do
  rm -rf $out/state; $b subscribers $pub import $out/subs.csv --state-dir $out/state >/dev/null
  /usr/bin/time -f "%e %U %S" -o $out/t.txt $b send $pub --state-dir $out/state > $out/o.txt 2>&1
  grep -q "sent 20000, failed 0" $out/o.txt || { cat $out/o.txt; exit 1; }
  awk -v b="$b" '{ printf "%-22s wall %5.2f s  cpu %5.2f s  (%.0f msg/s)\n", b, $1, $2 + $3, 20000 / $1 }' $out/t.txt
done; done
