#!/usr/bin/env bash
# herald send (release, 4 connections, journal on) into Postfix's smtp-sink, against
# smtp-source sending the same number of messages of the same size into the same sink:
# the ceiling of this machine. Wall time and peak RSS from GNU time, at 5,000 and 20,000
# subscribers (memory must not grow with the list). Results go in BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/mail"
# HERALD_BENCH_BIN: another build to measure (e.g. a copy of the previous one, side by side).
herald="${HERALD_BENCH_BIN:-$root/.build/release/herald}"
port="${BENCH_SMTP_PORT:-2525}"
sizes="${BENCH_SUBSCRIBERS:-5000 20000}"
[ -x "$herald" ] || { echo "mail.sh: build first: make release" >&2; exit 1; }
for tool in smtp-sink smtp-source; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "mail.sh: $tool missing (Debian package postfix)" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin"
export HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"

rm -rf "$out" && mkdir -p "$out"
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"

# BENCH_EXTRA_YAML: more settings, e.g. a dkim: section, as in mail-alternate.sh.
publication() { bench_publication "$1" "$port" "${BENCH_EXTRA_YAML:-}"; }

# measure LABEL -- CMD...: one run under GNU time; sets WALL (s) and RSS (MB).
measure() {
  shift
  /usr/bin/time -v -o "$out/time.txt" "$@" >"$out/cmd.out" 2>"$out/cmd.err" || { cat "$out/cmd.err" >&2; exit 1; }
  WALL="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/time.txt")"
  RSS="$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/time.txt")"
}

# The size of one rendered digest, for smtp-source's -l.
publication "$out/size"
"$herald" subscribers "$out/size" add reader@example.org --state-dir "$out/size/state" >/dev/null
"$herald" send "$out/size" --state-dir "$out/size/state" --dry-run --out "$out/size/maildir" >/dev/null
bytes="$(stat -c %s "$out"/size/maildir/new/* | head -1)"
echo "digest message: $bytes bytes"

for n in $sizes; do
  pub="$out/pub-$n"
  publication "$pub"
  bench_subscribers "$n" "$pub/subscribers.csv"
  "$herald" subscribers "$pub" import "$pub/subscribers.csv" --state-dir "$pub/state" >/dev/null
  measure "herald" -- "$herald" send "$pub" --state-dir "$pub/state"
  grep -q "sent $n, failed 0" "$out/cmd.out" || { echo "mail.sh: not everything was sent:" >&2; cat "$out/cmd.out" "$out/cmd.err" >&2; exit 1; }
  herald_rate="$(awk -v n="$n" -v w="$WALL" 'BEGIN { printf "%.0f", n / w }')"
  printf 'herald send, %6d subscribers, 4 connections: %7.2f s %7s msg/s  peak RSS %4s MB\n' "$n" "$WALL" "$herald_rate" "$RSS"
  measure "smtp-source" -- smtp-source -d -s 4 -m "$n" -l "$bytes" "127.0.0.1:$port"
  source_rate="$(awk -v n="$n" -v w="$WALL" 'BEGIN { printf "%.0f", n / w }')"
  printf 'smtp-source -d -s 4 -m %6d -l %s:      %7.2f s %7s msg/s\n' "$n" "$bytes" "$WALL" "$source_rate"
  awk -v h="$herald_rate" -v s="$source_rate" 'BEGIN { printf "herald / smtp-source: %.0f %%\n", 100 * h / s }'
done

# The sender and journal alone (a fixed message instead of the digest composer), to tell
# the cost of sending from the cost of rendering (bench/SenderBench, built with the release binary).
sender_bench="$(dirname "$herald")/herald-sender-bench"
if [ -x "$sender_bench" ]; then
  n="${sizes##* }"
  HERALD_BENCH_SMTP="127.0.0.1:$port" HERALD_BENCH_MESSAGES="$n" HERALD_BENCH_BYTES="$bytes" "$sender_bench" || true
  /usr/bin/time -f '%e' -o "$out/time.txt" smtp-source -d -s 4 -m "$n" -l "$bytes" "127.0.0.1:$port"
  awk -v n="$n" '{ printf "smtp-source -d -s 4 -m %d (same sink, right after): %.0f msg/s\n", n, n / $1 }' "$out/time.txt"
fi
