#!/usr/bin/env bash
# A publication fed by another site's feed (source:): reading a 1,000-entry RSS feed and
# composing its digest (`herald digest`, the preview: fetch, parse, select, render one
# message) against sending that digest to 1,000 subscribers (`herald send` into Postfix's
# smtp-sink, which reads the feed again too). Target: the first under 10 % of the second.
# Medians of RUNS runs (default 3). Results go in BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/feed-source"
herald="${HERALD_BENCH_BIN:-$root/.build/release/herald}"
port="${BENCH_SMTP_PORT:-2526}"
runs="${RUNS:-3}"
[ -x "$herald" ] || { echo "feed-source.sh: build first: make release" >&2; exit 1; }
export PATH="$PATH:/usr/sbin"
command -v smtp-sink >/dev/null || { echo "feed-source.sh: smtp-sink missing (Debian package postfix)" >&2; exit 1; }
export HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"

rm -rf "$out" && mkdir -p "$out"
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"

# 1,000 entries, one every 12 hours back from now: the newest 14 fall in the first window;
# and the same feed cut to its first 20 entries, to tell reading the feed from composing.
python3 - "$out/feed.xml" "$out/feed-20.xml" <<'PY'
import datetime, email.utils, sys
now = datetime.datetime.now(datetime.timezone.utc)
items = []
for i in range(1000):
    date = email.utils.format_datetime(now - datetime.timedelta(hours=12 * i + 1))
    body = "".join(f"<p>Paragraph {p} of entry {i}: meetups, releases and a <a href=\"/l/{p}\">link</a>.</p>" for p in range(6))
    items.append(f"<item><title>Community news {i}</title><link>https://blog.example.org/p/{i}/</link>"
                 f"<guid>https://blog.example.org/p/{i}/</guid><pubDate>{date}</pubDate><category>news</category>"
                 f"<description><![CDATA[{body}]]></description></item>")
for path, count in ((sys.argv[1], 1000), (sys.argv[2], 20)):
    open(path, "w").write('<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Blog</title>'
                          '<link>https://blog.example.org/</link>' + "".join(items[:count]) + "</channel></rss>")
PY

pub="$out/pub"
mkdir -p "$pub"
cat > "$pub/herald.yml" <<YML
title: Bench Blog Digest
base_url: https://blog.example.org/
source: file:../feed.xml
digest:
  from: digest@blog.example.org
  unsubscribe_url: https://blog.example.org/unsubscribe?t={token}
smtp:
  url: smtp://127.0.0.1:$port
  connections: 4
YML
mkdir -p "$out/pub-20"
sed 's|feed.xml|feed-20.xml|' "$pub/herald.yml" > "$out/pub-20/herald.yml"
awk 'BEGIN { print "address,name"; for (i = 0; i < 1000; i++) printf "reader%06d@example.org,Reader %d\n", i, i }' > "$out/subscribers.csv"

# `wall LABEL COMMAND…`: wall seconds (to the millisecond: GNU time's %e has 10 ms steps, a
# fifth of a preview) on stdout; CPU seconds (user + system, 10 ms steps) appended to
# $out/cpu-LABEL.txt — CPU moves far less than wall on a shared machine.
wall() {
  local label="$1" start end; shift
  start=$EPOCHREALTIME
  /usr/bin/time -f "%U %S" -o "$out/time.txt" "$@" >"$out/cmd.out" 2>"$out/cmd.err" || { cat "$out/cmd.err" >&2; exit 1; }
  end=$EPOCHREALTIME
  awk '{ printf "%.3f\n", $1 + $2 }' "$out/time.txt" >>"$out/cpu-$label.txt"
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

compose=(); send=(); short=()
rm -f "$out"/cpu-*.txt
for run in $(seq "$runs"); do
  rm -rf "$pub/state" "$out/preview" "$out/preview-20"
  short+=("$(wall short "$herald" digest "$out/pub-20" --out "$out/preview-20" --state-dir "$out/pub-20/state")")
  "$herald" subscribers "$pub" import "$out/subscribers.csv" --state-dir "$pub/state" >/dev/null
  compose+=("$(wall compose "$herald" digest "$pub" --out "$out/preview" --state-dir "$pub/state")")
  send+=("$(wall send "$herald" send "$pub" --state-dir "$pub/state")")
  grep -q "sent 1000, failed 0" "$out/cmd.out" || { echo "feed-source.sh: not everything was sent:" >&2; cat "$out/cmd.out" "$out/cmd.err" >&2; exit 1; }
done
c="$(printf '%s\n' "${compose[@]}" | median)"
s="$(printf '%s\n' "${send[@]}" | median)"
t="$(printf '%s\n' "${short[@]}" | median)"
echo "the same digest from a 20-entry feed (herald digest):  ${short[*]} s, median $t s"
echo "read 1,000-entry feed + compose digest (herald digest): ${compose[*]} s, median $c s"
echo "send to 1,000 subscribers (herald send):               ${send[*]} s, median $s s"
cc="$(median <"$out/cpu-compose.txt")"
cs="$(median <"$out/cpu-send.txt")"
echo "CPU seconds, medians: read 1,000 + compose $cc, send $cs: $(awk -v c="$cc" -v s="$cs" 'BEGIN { printf "%.1f %%", 100 * c / s }')"
awk -v c="$c" -v s="$s" -v t="$t" 'BEGIN {
  printf "read 1,000 entries + compose / send: %.1f %% (target < 10 %%)\n", 100 * c / s
  printf "reading the other 980 entries alone / send: %.1f %%\n", 100 * (c - t) / s }'
