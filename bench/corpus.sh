# Sourced by the feed benchmarks (feeds.sh, growth.sh).
# `bench_corpus DIR POSTS`: ../shared/bench/gen_corpus.py's posts in DIR/corpus-POSTS, generated
# once (the same seed gives the same posts every time).
bench_corpus() {
  if [ ! -f "$1/corpus-$2/.done" ]; then
    rm -rf "$1/corpus-$2"
    python3 "$(dirname "${BASH_SOURCE[0]}")/../../shared/bench/gen_corpus.py" --posts "$2" --out "$1/corpus-$2" >/dev/null
    touch "$1/corpus-$2/.done"
  fi
}

# `bench_feed_publication DIR POSTS_FOLDER ENTRIES`: the benchmark publication in DIR, reading
# POSTS_FOLDER (relative to DIR), with ENTRIES entries per feed (0: all), full content.
bench_feed_publication() {
  mkdir -p "$1"
  cat > "$1/herald.yml" <<YML
title: SOFA Weekly
description: 每周精选
base_url: https://weekly.example.org/
language: zh-CN
timezone: Asia/Shanghai
posts: $2
feeds:
  entries: $3
  content: full
YML
}
