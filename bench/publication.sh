# Sourced by the mail benchmarks. `bench_sink PORT`: Postfix's smtp-sink on 127.0.0.1:PORT until
# the script exits (as nobody when run as root: smtp-sink refuses to run as root).
bench_sink() {
  local as=(); [ "$(id -u)" = 0 ] && as=(-u nobody)
  smtp-sink "${as[@]}" -c "127.0.0.1:$1" 1000 >/dev/null &
  bench_sink_pid=$!
  trap 'kill $bench_sink_pid 2>/dev/null' EXIT
  sleep 0.5
}

# `bench_publication DIR PORT [EXTRA_YAML [DIGEST_YAML]]` writes a
# publication with a week of five posts (a digest of realistic size) sending to PORT.
# DIGEST_YAML: more `digest:` keys, indented, e.g. "  bounce_address: bounces@weekly.example.org".
bench_publication() {
  mkdir -p "$1/posts"
  cat > "$1/herald.yml" <<YML
title: Bench Weekly
base_url: https://weekly.example.org/
digest:
  from: digest@weekly.example.org
  unsubscribe_url: https://weekly.example.org/unsubscribe?t={token}
${4:-}
smtp:
  url: smtp://127.0.0.1:$2
  connections: 4
${3:-}
YML
  for i in 1 2 3 4 5; do
    day="$(date -u -d "-$i day" +%Y-%m-%dT10:00:00Z)"
    { printf -- '---\ntitle: "Community news, part %s"\ndate: %s\nsummary: What happened this week in part %s.\n---\n' "$i" "$day" "$i"
      for p in 1 2 3 4; do printf 'Paragraph %s of post %s: meetups, releases and a [link](https://example.org/%s).\n\n' "$p" "$i" "$p"; done
    } > "$1/posts/post-$i.md"
  done
}

# `bench_subscribers N FILE`: an import CSV of N readers, reader000000@example.org and on.
bench_subscribers() {
  awk -v n="$1" 'BEGIN { print "address,name"; for (i = 0; i < n; i++) printf "reader%06d@example.org,Reader %d\n", i, i }' > "$2"
}

# `bench_dkim HERALD KEY`: makes the Ed25519 key KEY if it is not there, and prints the dkim:
# section that signs with it (for bench_publication's EXTRA_YAML).
bench_dkim() {
  [ -f "$2" ] || "$1" dkim keygen --selector bench --domain weekly.example.org --out "$2" >/dev/null 2>&1
  printf 'dkim:\n  domain: weekly.example.org\n  selector: bench\n  key_file: %s' "$2"
}
