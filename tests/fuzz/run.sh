#!/usr/bin/env bash
# Builds a libFuzzer target with clang (with ASan + UBSan) and runs it for a while on
# seeds drawn from what the tests already use:
#   mask     the masking detectors and masker; seeds: the labeled masking corpora
#   webhook  the WhatsApp webhook body parser and the inbound args made from it; seeds:
#            the Cloud API reference payloads (../shared/reference/whatsapp) if present,
#            and tests/fuzz/webhook-seeds (two messages out of order, one with context; a
#            failed status)
#   config   the configuration parser, linked to toml++ as the server is (the library
#            Debian ships, not instrumented); seeds: the example and test configs
# Usage: run.sh TARGET SOURCE_DIR WORK_DIR [SECONDS]
set -euo pipefail
target="$1"; src="$2"; work="$3"; seconds="${4:-30}"
mkdir -p "$work/corpus"
cxx=(clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
run=(-artifact_prefix="$work/" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1)

case "$target" in
  mask)
    "${cxx[@]}" -I"$src/plugins/masking/src" -I"$src/plugins/masking/tests" "$src/tests/fuzz/mask_fuzz.cpp" \
      "$src"/plugins/masking/src/detect/*.cpp -o "$work/mask_fuzz"
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
    run+=(-dict="$src/tests/fuzz/mask.dict")
    ;;
  webhook)
    "${cxx[@]}" -I"$src/plugins/whatsapp/src" "$src/tests/fuzz/webhook_fuzz.cpp" \
      "$src"/plugins/whatsapp/src/{notification,inbound,json_fields}.cpp -lboost_json -o "$work/webhook_fuzz"
    reference="$src/../shared/reference/whatsapp"
    [ -d "$reference" ] && cp "$reference"/*.json "$work/corpus/"
    cp "$src"/tests/fuzz/webhook-seeds/*.json "$work/corpus/"
    ;;
  config)
    "${cxx[@]}" -I"$src/core/include" -I"$src/core/src" $(pkg-config --cflags tomlplusplus) "$src/tests/fuzz/config_fuzz.cpp" \
      "$src"/core/src/config/*.cpp $(pkg-config --libs tomlplusplus) -o "$work/config_fuzz"
    for f in "$src"/examples/*.toml $(find "$src/tests" -name '*.toml'); do
      cp "$f" "$work/corpus/$(echo "$f" | md5sum | cut -c1-16).toml"
    done
    ;;
  *)
    echo "run.sh: unknown target $target (mask, webhook or config)" >&2
    exit 2
    ;;
esac
"$work/${target}_fuzz" "${run[@]}" "$work/corpus" 2>&1 | tail -15
