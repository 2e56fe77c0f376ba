#!/usr/bin/env bash
# Raw and gzip -9 size of each built .wasm, beside its gzip budget: 900 KB for the full build,
# 150 KB for the lite one. Both are enforced (exits non-zero when either is over). The tools build
# (the command line's, loaded by nothing else) is reported without a budget. The full build
# meets its budget with the regex engines' unused Unicode tables and perf features left out
# (scripts/trim-regex.mjs); see README "Size and speed".
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
printf '%-6s %12s %12s %14s\n' flavor raw gzip-9 budget-gzip
for flavor in full lite tools; do
  case $flavor in full) budget=$((900 * 1024)) ;; lite) budget=$((150 * 1024)) ;; tools) budget= ;; esac
  file=pkg/dist/$flavor/astrolabe_segment_bg.wasm
  [ -f "$file" ] || { echo "$file missing: run make build" >&2; exit 1; }
  raw=$(wc -c < "$file")
  gz=$(gzip -9c "$file" | wc -c)
  if [ -z "$budget" ]; then
    printf '%-6s %9.1f KB %9.1f KB %11s %s\n' "$flavor" "$(awk "BEGIN{print $raw/1024}")" "$(awk "BEGIN{print $gz/1024}")" none "(the CLI's build)"
    continue
  fi
  verdict=ok
  if [ "$gz" -gt "$budget" ]; then verdict=OVER; status=1; fi
  printf '%-6s %9.1f KB %9.1f KB %8d KB %s\n' "$flavor" "$(awk "BEGIN{print $raw/1024}")" "$(awk "BEGIN{print $gz/1024}")" $((budget / 1024)) "$verdict"
done
exit $status
