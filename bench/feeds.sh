#!/usr/bin/env bash
# herald build (release) against Hugo on the same 10,000 generated posts:
#   (a) a 50-entry feed      (b) an all-entries, full-content feed
# plus herald's no-change rebuild, one post edited, added and deleted (on the bundle site too), and (b) again on Hugo sites read with `hugo:`, the posts
# as flat files and as page bundles (NAME/index.md beside a cover.png), side by side with Hugo. Wall time and peak RSS from GNU time; each figure is
# the median of RUNS runs (default 3). herald also writes its tag and category feeds
# (13 feed folders, 26 files); Hugo writes one RSS file.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
shared="$root/../shared"
out="${BENCH_OUT:-$root/bench-out}"
posts="${BENCH_POSTS:-10000}"
runs="${RUNS:-3}"
herald="$root/.build/release/herald"
[ -x "$herald" ] || { echo "feeds.sh: build first: make release" >&2; exit 1; }
command -v hugo >/dev/null || { echo "feeds.sh: hugo is not installed (make bench installs it)" >&2; exit 1; }

mkdir -p "$out"
# One corpus per size, generated once: the same seed gives the same posts every time.
# shellcheck source=corpus.sh
source "$(dirname "$0")/corpus.sh"
bench_corpus "$out" "$posts"
if [ ! -f "$out/hugo-$posts/config.toml" ]; then
  rm -rf "$out/hugo-$posts"
  python3 "$shared/bench/gen_corpus.py" --posts "$posts" --out "$out/hugo-$posts" --hugo >/dev/null
fi
if [ ! -f "$out/hugo-bundles-$posts/.done" ]; then
  rm -rf "$out/hugo-bundles-$posts"
  python3 "$shared/bench/gen_corpus.py" --posts "$posts" --out "$out/hugo-bundles-$posts" --hugo --bundles >/dev/null
  touch "$out/hugo-bundles-$posts/.done"
fi

bench_feed_publication "$out/pub-a" "../corpus-$posts/posts" 50
bench_feed_publication "$out/pub-b" "../corpus-$posts/posts" 0
# The Hugo sites themselves as publications: their posts section, all entries, full content.
site_publication() { # NAME SITE [ENTRIES]
  mkdir -p "$out/$1"
  printf 'hugo: ../%s\nsection: posts\ntimezone: Asia/Shanghai\nfeeds:\n  entries: %s\n  content: full\n' "$2" "${3:-0}" > "$out/$1/herald.yml"
}
site_publication pub-hugo-flat "hugo-$posts"
site_publication pub-hugo-bundles "hugo-bundles-$posts"
# The bundle site with 50 entries, for one post edited there.
site_publication pub-hugo-bundles-a "hugo-bundles-$posts" 50
# Hugo's template ranges over every page whatever services.rss.limit says, so (a) gets a
# copy of it that takes the first 50 (RegularPages is newest first).
mkdir -p "$out/hugo-layouts-50/_default"
sed 's/range .Site.RegularPages/range first 50 .Site.RegularPages/' \
  "$out/hugo-$posts/layouts/_default/rss.xml" > "$out/hugo-layouts-50/_default/rss.xml"

# measure LABEL PREP -- CMD...: runs PREP then CMD under GNU time RUNS times; prints the
# median wall seconds and peak RSS (MB) of those runs.
measure() {
  local label="$1" prep="$2"; shift 3
  local walls=() rss=() cpus=()
  for _ in $(seq "$runs"); do
    eval "$prep"
    /usr/bin/time -v -o "$out/time.txt" "$@" >/dev/null
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/time.txt")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/time.txt")")
    # CPU seconds too: on a shared machine they move less than wall time does.
    cpus+=("$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$out/time.txt")")
  done
  local wall peak
  wall="$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")"
  peak="$(printf '%s\n' "${rss[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")"
  printf '%-40s %7.2f s %6s MB   wall runs: %-18s cpu: %s\n' "${label#* }" "$wall" "$peak" "${walls[*]}" "${cpus[*]}"
  eval "${label%% *}_wall=$wall"
}

echo "feeds benchmark: $posts posts, median of $runs runs, $(nproc) cores, $(hugo version | cut -d' ' -f1-2), load $(cut -d' ' -f1-3 /proc/loadavg)"
# Each publication keeps its state (build record, scan cache) in a folder of its own here;
# a cold build starts without it.
measure "ha herald (a) 50 entries"          'rm -rf "$out/public-a" "$out/state-a"' -- "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a"
measure "hugoa hugo (a) 50 entries"         'rm -rf "$out/hugo-public-a"' -- hugo --quiet --source "$out/hugo-$posts" --destination "$out/hugo-public-a" --layoutDir "$out/hugo-layouts-50"
measure "hb herald (b) all entries, full"   'rm -rf "$out/public-b" "$out/state-b"' -- "$herald" build "$out/pub-b" --out "$out/public-b" --state-dir "$out/state-b"
measure "hugob hugo (b) all entries, full"  'rm -rf "$out/hugo-public-b"' -- hugo --quiet --source "$out/hugo-$posts" --destination "$out/hugo-public-b"
measure "nc herald no-change rebuild (a)"   ':' -- "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a"
measure "ncb herald no-change rebuild (b)"  ':' -- "$herald" build "$out/pub-b" --out "$out/public-b" --state-dir "$out/state-b"
# One post changed on the 10,000 after a build of (a): edited, added, deleted. The scan reads
# only that file (the scan cache in the state folder); side by side with the cold (a) above.
# The edited post is put back afterwards, and the added one removed, so the corpus stays as generated.
edited="$(find "$out/corpus-$posts/posts" -name '*.md' | sort | sed -n "$(( posts / 2 ))p")"
cp "$edited" "$out/edited.bak"
added="$out/corpus-$posts/posts/zz-bench-added.md"
sed 's/^title: "/title: "Added /' "$edited" > "$out/added.md"
"$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a" >/dev/null
measure "ie herald one post edited (a)"     'printf "\nedit %s\n" "$RANDOM" >> "$edited"' -- "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a"
measure "ia herald one post added (a)"      'rm -f "$added"; "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a" >/dev/null; cp "$out/added.md" "$added"' -- "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a"
measure "id herald one post deleted (a)"    'cp "$out/added.md" "$added"; "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a" >/dev/null; rm -f "$added"' -- "$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a"
cp "$out/edited.bak" "$edited"
rm -f "$added"
# The same posts cold into an empty folder: the incremental output must be byte-identical.
"$herald" build "$out/pub-a" --out "$out/public-a" --state-dir "$out/state-a" >/dev/null
rm -rf "$out/public-a-cold" "$out/state-a-cold"
"$herald" build "$out/pub-a" --out "$out/public-a-cold" --state-dir "$out/state-a-cold" >/dev/null
if diff -r "$out/public-a" "$out/public-a-cold" >/dev/null; then echo "incremental (a) output: identical to a cold build"; else echo "incremental (a) output: DIFFERS from a cold build" >&2; exit 1; fi
rm -rf "$out/public-a-cold" "$out/state-a-cold"
awk -v a="$ha_wall" -v e="$ie_wall" -v n="$nc_wall" \
  'BEGIN { printf "one post edited: %.2f s against %.2f s cold (%.1fx faster), %.1fx the no-change build\n", e, a, a / e, e / n }'
measure "hf herald (b) hugo: site, flat"    'rm -rf "$out/public-hf" "$out/state-hf"' -- "$herald" build "$out/pub-hugo-flat" --out "$out/public-hf" --state-dir "$out/state-hf"
measure "hbu herald (b) hugo: site, bundles" 'rm -rf "$out/public-hbu" "$out/state-hbu"' -- "$herald" build "$out/pub-hugo-bundles" --out "$out/public-hbu" --state-dir "$out/state-hbu"
measure "hugobu hugo (b) bundles"           'rm -rf "$out/hugo-public-bu"' -- hugo --quiet --source "$out/hugo-bundles-$posts" --destination "$out/hugo-public-bu"
awk -v a="$hugoa_wall" -v b="$ha_wall" -v c="$hugob_wall" -v d="$hb_wall" \
  'BEGIN { printf "speed-up over Hugo: (a) %.1fx   (b) %.1fx\n", a / b, c / d }'
# One post of the bundle site edited after a build with 50 entries (a folder per post to list).
bundle_post="$(find "$out/hugo-bundles-$posts/content/posts" -name index.md | sort | sed -n "$(( posts / 2 ))p")"
cp "$bundle_post" "$out/bundle-edited.bak"
"$herald" build "$out/pub-hugo-bundles-a" --out "$out/public-hba" --state-dir "$out/state-hba" >/dev/null
measure "ieb herald one post edited, bundles (a)" 'printf "\nedit %s\n" "$RANDOM" >> "$bundle_post"' -- "$herald" build "$out/pub-hugo-bundles-a" --out "$out/public-hba" --state-dir "$out/state-hba"
cp "$out/bundle-edited.bak" "$bundle_post"
awk -v f="$hf_wall" -v b="$hbu_wall" -v h="$hugobu_wall" \
  'BEGIN { printf "bundles vs flat files (herald, hugo: site): %+.0f %%   speed-up over Hugo on bundles: %.1fx\n", (b / f - 1) * 100, h / b }'
# Where herald's time goes in a full build (b): the loader's scan and render vs the feed writers.
"$herald" build "$out/pub-b" --out "$out/public-b-phases" --state-dir "$out/state-b-phases" --json | python3 -c '
import json, sys
r = json.load(sys.stdin); p = r["phases"]
print("herald (b) phases: scan %.2f s, render %.2f s, write %.2f s, commit %.2f s (total %.2f s)"
      % (p["scan"], p["render"], p["write"], p["commit"], r["seconds"]))'
rm -rf "$out/public-b-phases" "$out/state-b-phases"
echo "feed sizes: (a) $(du -sh "$out/public-a" | cut -f1), (b) $(du -sh "$out/public-b" | cut -f1); hugo (b) $(du -sh "$out/hugo-public-b/index.xml" | cut -f1)"
