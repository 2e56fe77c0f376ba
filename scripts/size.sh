#!/usr/bin/env bash
# Raw and gzip -9 size of each built .wasm, beside its gzip budget. The lite budget is enforced
# (fails when over). The full build's is reported: it is about 10 KB over its 900 KB goal, and
# what is left to cut (the regex engines' default features that jsonschema and liquid enable, or a
# nightly build of std) is not this crate's choice on stable Rust; see README "Size and speed".
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
printf '%-6s %12s %12s %14s\n' flavor raw gzip-9 budget-gzip
for flavor in full lite; do
  case $flavor in full) budget=$((900 * 1024)) ;; lite) budget=$((150 * 1024)) ;; esac
  file=pkg/dist/$flavor/astrolabe_segment_bg.wasm
  [ -f "$file" ] || { echo "$file missing: run make build" >&2; exit 1; }
  raw=$(wc -c < "$file")
  gz=$(gzip -9c "$file" | wc -c)
  verdict=ok
  if [ "$gz" -gt "$budget" ]; then
    if [ "$flavor" = lite ]; then verdict=OVER; status=1; else verdict="over the goal (reported, not enforced)"; fi
  fi
  printf '%-6s %9.1f KB %9.1f KB %8d KB %s\n' "$flavor" "$(awk "BEGIN{print $raw/1024}")" "$(awk "BEGIN{print $gz/1024}")" $((budget / 1024)) "$verdict"
done
exit $status
