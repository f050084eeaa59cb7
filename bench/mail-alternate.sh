#!/usr/bin/env bash
# Two or more herald binaries send the same 20,000-subscriber digest into one smtp-sink,
# alternately, RUNS rounds; after each send, smtp-source sends as many messages of the
# same size into the same sink. Prints wall, msg/s, CPU (user+sys) per message and the
# ratio to smtp-source of that moment. Uses the publication bench/mail.sh left behind:
#   BENCH_SUBSCRIBERS=20000 bench/mail.sh            # once, for $BENCH_OUT/mail/pub-20000
#   RUNS=3 bench/mail-alternate.sh /tmp/herald-old .build/release/herald
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
src="${BENCH_OUT:-$root/bench-out}/mail/pub-20000"
port="${BENCH_SMTP_PORT:-2727}"
[ -f "$src/subscribers.csv" ] || { echo "mail-alternate.sh: run BENCH_SUBSCRIBERS=20000 bench/mail.sh first" >&2; exit 1; }
export PATH="$PATH:/usr/sbin" HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"
export HERALD_TEMPLATES="${HERALD_TEMPLATES:-$root/templates}"
n="$(($(wc -l < "$src/subscribers.csv") - 1))"
size="$(stat -c %s "${BENCH_OUT:-$root/bench-out}"/mail/size/maildir/new/* | head -1)"
work="$(mktemp -d)"
sink_user=(); [ "$(id -u)" = 0 ] && sink_user=(-u nobody)
smtp-sink "${sink_user[@]}" -c "127.0.0.1:$port" 1000 >/dev/null 2>&1 & sink=$!
trap 'kill $sink; rm -rf "$work"' EXIT
sleep 0.5
for r in $(seq 1 "${RUNS:-3}"); do
  for bin in "$@"; do
    pub="$work/pub"; rm -rf "$pub"; mkdir -p "$pub"
    cp -r "$src/posts" "$src/herald.yml" "$src/subscribers.csv" "$pub/"
    sed -i "s/127.0.0.1:[0-9]*/127.0.0.1:$port/" "$pub/herald.yml"
    "$bin" subscribers "$pub" import "$pub/subscribers.csv" --state-dir "$pub/state" >/dev/null
    load="$(cut -d' ' -f1 /proc/loadavg)"
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$bin" send "$pub" --state-dir "$pub/state" >"$work/out" 2>"$work/err"
    grep -q "sent $n, failed 0" "$work/out" || { cat "$work/out" "$work/err" >&2; exit 1; }
    /usr/bin/time -f "%e" -o "$work/source" smtp-source -d -s 4 -m "$n" -l "$size" "127.0.0.1:$port"
    read -r wall user sys < "$work/time"
    awk -v r="$r" -v b="$bin" -v l="$load" -v w="$wall" -v u="$user" -v s="$sys" -v n="$n" -v sw="$(cat "$work/source")" 'BEGIN {
      printf "run %d %s (load %s): %.2f s, %.0f msg/s, CPU %.0f us/msg; smtp-source %.0f msg/s; ratio %.0f %%\n",
             r, b, l, w, n / w, (u + s) / n * 1e6, n / sw, 100 * sw / w }'
  done
done
