#!/usr/bin/env bash
# One `herald send` of 20,000 subscribers into smtp-sink under `perf record -g`, unsigned or
# (with `signed`) with an Ed25519 dkim: section; then, e.g.,
#   perf report -i /tmp/herald-mail-profile/perf-signed.data --children --sort sym
#   bench/mail-profile.sh .build/release/herald signed
set -euo pipefail
herald="${1:?usage: bench/mail-profile.sh HERALD_BINARY [signed]}"; kind="${2:-unsigned}"
export PATH="$PATH:/usr/sbin" HERALD_UNSUBSCRIBE_SECRET="bench-secret-0123456789abcdef"
command -v perf >/dev/null || { echo "mail-profile.sh: perf missing (Debian package linux-perf)" >&2; exit 1; }
out="${BENCH_OUT:-/tmp/herald-mail-profile}"; port="${BENCH_SMTP_PORT:-2720}"; mkdir -p "$out"
# shellcheck source=publication.sh
source "$(dirname "$0")/publication.sh"
bench_sink "$port"
extra=""
if [ "$kind" = signed ]; then
  extra="$(bench_dkim "$herald" "$out/dkim.pem")"
fi
rm -rf "$out/pub" "$out/state"; bench_publication "$out/pub" "$port" "$extra"
bench_subscribers 20000 "$out/subs.csv"
"$herald" subscribers "$out/pub" import "$out/subs.csv" --state-dir "$out/state" >/dev/null
perf record -F 2000 -g -o "$out/perf-$kind.data" "$herald" send "$out/pub" --state-dir "$out/state"
