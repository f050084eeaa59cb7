#!/usr/bin/env bash
# herald serve (release) beside Debian's nginx, in one run on the same machine:
#  (a) conditional GET /atom.xml answered 304: nginx and herald serve the same file,
#      each asked with its own ETag in If-None-Match (wrk, 2 threads, 64 connections);
#  (b) POST /unsubscribe (RFC 8058 one-click) with distinct valid tokens: requests per
#      second from wrk, and the unsubscribes the state database holds afterwards (durable).
# Results go in BENCHMARKS.md by hand.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="${BENCH_OUT:-$root/bench-out}/serve"
herald="${HERALD_BENCH_BIN:-$root/.build/release/herald}"
port_herald="${BENCH_HERALD_PORT:-18080}"
port_nginx="${BENCH_NGINX_PORT:-18081}"
subscribers="${BENCH_SUBSCRIBERS:-40000}"
seconds="${BENCH_SECONDS:-10}"
[ -x "$herald" ] || { echo "serve.sh: build first: make release" >&2; exit 1; }
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "serve.sh: $tool missing (scripts/bootstrap installs it)" >&2; exit 1; }
done
export PATH="$PATH:/usr/sbin"
export HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"

rm -rf "$out" && mkdir -p "$out/pub/posts" "$out/nginx"
cat > "$out/pub/herald.yml" <<YML
title: Bench Weekly
base_url: http://127.0.0.1:$port_herald/
digest:
  from: digest@weekly.example.org
smtp:
  url: smtp://127.0.0.1:1
YML
for i in $(seq 1 20); do
  printf -- '---\ntitle: Post %s\ndate: 2025-03-%02dT10:00:00Z\n---\n%s\n' "$i" "$i" "$(yes 'A paragraph of the post.' | head -40 | tr '\n' ' ')" \
    > "$out/pub/posts/post-$i.md"
done
"$herald" build "$out/pub" --out "$out/site" >/dev/null
python3 - "$out/subscribers.csv" "$subscribers" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("address\n" + "".join(f"reader{i}@example.org\n" for i in range(int(sys.argv[2]))))
PY
"$herald" subscribers "$out/pub" import "$out/subscribers.csv" --state-dir "$out/state" >/dev/null

cat > "$out/nginx/nginx.conf" <<NGINX
worker_processes auto;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  etag on;
  server { listen 127.0.0.1:$port_nginx; root $out/site; }
}
NGINX
nginx -p "$out/nginx" -c "$out/nginx/nginx.conf"
"$herald" serve "$out/pub" --out "$out/site" --state-dir "$out/state" --listen "127.0.0.1:$port_herald" 2>"$out/serve.log" &
serve=$!
trap 'kill $serve 2>/dev/null; nginx -p "$out/nginx" -c "$out/nginx/nginx.conf" -s stop 2>/dev/null' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port_herald/healthz" >/dev/null && break; sleep 0.1; done

rps() { sed -n 's/^Requests\/sec: *//p'; }
etag() { curl -fsI "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p'; }
echo "== (a) conditional GET /atom.xml -> 304, wrk -t2 -c64 -d${seconds}s, alternating"
for server in nginx:$port_nginx herald:$port_herald nginx:$port_nginx herald:$port_herald; do
  name=${server%%:*}; port=${server##*:}; url="http://127.0.0.1:$port/atom.xml"
  tag=$(etag "$url")
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $tag" "$url")
  printf '%-7s %s req/s (answer %s)\n' "$name" "$(wrk -t2 -c64 -d"${seconds}s" -H "If-None-Match: $tag" "$url" | rps)" "$code"
done

echo "== (b) POST /unsubscribe, RFC 8058 one-click, distinct valid tokens, wrk -t2 -c64 -d${seconds}s"
python3 - "$out/state/state.sqlite" "$out/tokens.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with open(sys.argv[2], "w") as f:
    for (token,) in db.execute("SELECT unsubscribe_token FROM subscribers WHERE status = 'active' ORDER BY id"):
        f.write(token + "\n")
PY
cat > "$out/unsubscribe.lua" <<LUA
-- Each wrk thread walks its own stride of the token list, so no token is posted twice.
local threads, counter = {}, 0
function setup(thread) thread:set("id", counter); counter = counter + 1; table.insert(threads, thread) end
function init(args)
  tokens = {}
  for line in io.lines("$out/tokens.txt") do tokens[#tokens + 1] = line end
  step, i = 2, id
  wrk.method = "POST"
  wrk.body = "List-Unsubscribe=One-Click"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  local token = tokens[(i % #tokens) + 1]
  i = i + step
  return wrk.format(nil, "/unsubscribe?token=" .. token)
end
LUA
before=$(date +%s.%N)
result=$(wrk -t2 -c64 -d"${seconds}s" -s "$out/unsubscribe.lua" "http://127.0.0.1:$port_herald")
after=$(date +%s.%N)
echo "$result" | grep -E "Requests/sec|Non-2xx|requests in"
recorded=$(python3 -c "
import sqlite3; db = sqlite3.connect('file:$out/state/state.sqlite?mode=ro', uri=True)
print(db.execute(\"SELECT COUNT(*) FROM consents WHERE action = 'unsubscribed'\").fetchone()[0])")
python3 -c "print(f'durably recorded: $recorded unsubscribes (consent rows) in {($after - $before):.1f} s = {$recorded / ($after - $before):.0f}/s')"
