#!/usr/bin/env python3
"""Times `parley mask` (the CLI, the masking plugin loaded alone) over the benchmark
corpus's texts, one per line (a text's own line breaks become spaces), and prints one
JSON line: {"engine": "parley mask", "bytes", "runs", "mb_s"} with mb_s from the median
of the runs' wall times, process start and plugin load included.

    cli_time.py PARLEY_BIN CORPUS.jsonl LINES_FILE [RUNS]
"""

import json
import statistics
import subprocess
import sys
import time


def main():
    parley, corpus, lines_file = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    with open(corpus, encoding="utf-8") as f, open(lines_file, "w", encoding="utf-8") as out:
        for line in f:
            if line.strip():
                out.write(json.loads(line)["text"].replace("\r", " ").replace("\n", " ") + "\n")
    with open(lines_file, "rb") as f:
        size = len(f.read())
    seconds = []
    for _ in range(runs):
        with open(lines_file, "rb") as stdin:
            start = time.perf_counter()
            subprocess.run([parley, "mask"], stdin=stdin, stdout=subprocess.DEVNULL, check=True)
            seconds.append(time.perf_counter() - start)
    print(json.dumps({"engine": "parley mask", "bytes": size, "runs": runs,
                      "mb_s": size / 1e6 / statistics.median(seconds)}))


if __name__ == "__main__":
    main()
