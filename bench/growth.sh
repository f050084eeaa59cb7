#!/usr/bin/env bash
# How a cold `herald build` grows with the site: the same generated corpus at 10,000 and at
# 50,000 posts (../shared/bench/gen_corpus.py), (a) 50-entry feeds and (b) all entries with
# full content, each size in turn, RUNS times (default 3). Prints the median wall and CPU
# seconds and peak RSS (GNU time) of each, and 50,000 against 10,000 (the bound: time within
# 5.5x, memory within 2x). `HERALD_BENCH_BIN` picks another binary. Results go in
# BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/growth"
runs="${RUNS:-3}"
herald="${HERALD_BENCH_BIN:-$root/.build/release/herald}"
[ -x "$herald" ] || { echo "growth.sh: build first: make release" >&2; exit 1; }
sizes=(10000 50000)

mkdir -p "$out"
# shellcheck source=corpus.sh
source "$(dirname "$0")/corpus.sh"
for posts in "${sizes[@]}"; do
  bench_corpus "$out" "$posts"
  bench_feed_publication "$out/pub-a-$posts" "../corpus-$posts/posts" 50
  bench_feed_publication "$out/pub-b-$posts" "../corpus-$posts/posts" 0
done

# build PUB: one cold build (no output, no state); appends "wall cpu rss_mb" to PUB's results.
build() {
  rm -rf "$out/public" "$out/state"
  /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$herald" build "$out/$1" --out "$out/public" --state-dir "$out/state" >/dev/null
  awk '{ printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024 }' "$out/time.txt" >> "$out/$1.results"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "herald $herald, $runs runs, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in a b; do
  for posts in "${sizes[@]}"; do rm -f "$out/pub-$kind-$posts.results"; done
  for _ in $(seq 1 "$runs"); do
    for posts in "${sizes[@]}"; do build "pub-$kind-$posts"; done
  done
  declare -A wall cpu rss
  for posts in "${sizes[@]}"; do
    results="$out/pub-$kind-$posts.results"
    wall[$posts]="$(cut -d' ' -f1 "$results" | median)"
    cpu[$posts]="$(cut -d' ' -f2 "$results" | median)"
    rss[$posts]="$(cut -d' ' -f3 "$results" | median)"
    printf '(%s) %6s posts: wall %6.2f s  CPU %6.2f s  peak RSS %4s MiB\n' "$kind" "$posts" "${wall[$posts]}" "${cpu[$posts]}" "${rss[$posts]}"
  done
  awk -v w1="${wall[10000]}" -v w5="${wall[50000]}" -v c1="${cpu[10000]}" -v c5="${cpu[50000]}" -v r1="${rss[10000]}" -v r5="${rss[50000]}" -v k="$kind" \
    'BEGIN { printf "(%s) 50,000 against 10,000: wall %.2fx, CPU %.2fx, peak RSS %.2fx\n", k, w5 / w1, c5 / c1, r5 / r1 }'
done
rm -rf "$out/public" "$out/state"
