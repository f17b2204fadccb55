#!/usr/bin/env bash
# `casebook check` against the atlas site's own reading of the same files, measured side by
# side in one run (issue: check must take at most 0.3x the time of a node script that only
# parses the files with gray-matter and JSON.parse).
#
#   bash benches/check-vs-site/run.sh [CORPUS] [ROUNDS]
#
# CORPUS defaults to $CASEBOOK_CORPUS or ../shared/corpus; ROUNDS to 10. Needs node and
# `npm ci` in tests/site-reader (as .ci/run does). Builds the checker alone (release,
# --no-default-features) unless CASEBOOK_BIN names a binary. Whole processes are timed,
# alternating the two so that load on the machine hits both alike; the median of each is
# reported with the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus="${1:-${CASEBOOK_CORPUS:-../shared/corpus}}"
rounds="${2:-10}"
if [ -z "${CASEBOOK_BIN:-}" ]; then
  cargo build --release --locked --no-default-features --quiet
  CASEBOOK_BIN=target/release/casebook
fi
[ -d tests/site-reader/node_modules ] || (cd tests/site-reader && npm ci --no-audit --no-fund --loglevel=error)
now() { date +%s%N; }
c=(); n=()
"$CASEBOOK_BIN" check "$corpus" >/dev/null || true   # warm the file cache
node benches/check-vs-site/parse.js "$corpus"
for _ in $(seq "$rounds"); do
  t0=$(now); "$CASEBOOK_BIN" check "$corpus" >/dev/null || true; t1=$(now)
  node benches/check-vs-site/parse.js "$corpus" >/dev/null; t2=$(now)
  c+=($(( (t1 - t0) / 1000 ))); n+=($(( (t2 - t1) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mc=$(median "${c[@]}"); mn=$(median "${n[@]}")
echo "casebook check: median ${mc} us over ${rounds} runs ($(nproc) cores)"
echo "gray-matter + JSON.parse (node): median ${mn} us"
awk -v a="$mc" -v b="$mn" 'BEGIN { printf "ratio check / site reader: %.2f (target <= 0.30)\n", a / b }'
