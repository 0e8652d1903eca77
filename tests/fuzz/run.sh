#!/usr/bin/env bash
# Builds the masking fuzz target with clang (libFuzzer + ASan + UBSan) and runs it
# for a short time on a seed corpus drawn from the labeled masking corpora.
# Usage: run.sh SOURCE_DIR WORK_DIR [SECONDS]
set -euo pipefail
src="$1"; work="$2"; seconds="${3:-30}"
mkdir -p "$work/corpus"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src/plugins/masking/src" -I"$src/plugins/masking/tests" "$src/tests/fuzz/mask_fuzz.cpp" "$src"/plugins/masking/src/detect/*.cpp \
  -o "$work/mask_fuzz"
# Seeds: each line of the committed corpora, text only.
for f in "$src"/tests/masking/corpus/*.jsonl; do
  [ -f "$f" ] || continue
  python3 - "$f" "$work/corpus" <<'PY'
import hashlib, json, os, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        text = json.loads(line)["text"].encode()
        open(os.path.join(sys.argv[2], hashlib.sha1(text).hexdigest()), "wb").write(text)
PY
done
printf '+ 1 (123) 456 7890\n' > "$work/corpus/help-phone"
printf 'melissa@gmail.com 4111 1111 1111 1111 GB82 WEST 1234 5698 7654 32\n' > "$work/corpus/mixed"
"$work/mask_fuzz" -artifact_prefix="$work/" -max_total_time="$seconds" -rss_limit_mb=2048 -dict="$src/tests/fuzz/mask.dict" -print_final_stats=1 "$work/corpus" 2>&1 | tail -15
