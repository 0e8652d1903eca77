#!/usr/bin/env python3
"""Turns the hand-written, marked corpus into labeled JSONL with exact byte offsets.

Source format (tests/masking/corpus/handwritten.txt), one message per line:

    es| Mi tarjeta es [[card:4111 1111 1111 1111]], caduca 08/27.
    en| Call me on [[phone:+44 7911 123456]] after 18:00

- `LANG| ` first (es or en; ar or fa for the few Arabic and Persian lines, written with
  their own digits), then the message.
- `[[ENTITY:TEXT]]` marks TEXT as a span of ENTITY (card, iban, ssn, email, phone); the
  markers are removed from the message, TEXT stays.
- `[[phone/GB:07911 123456]]`: the region a national phone number is read in for the
  check below (default ES on Spanish lines, US on English ones, SA on Arabic ones, IR
  on Persian ones). `[[phone!:...]]`: label
  without the check (the help page's `+ 1 (123) 456 7890` is no valid NANP number, yet
  the product masks it).
- `\\u{XXXX}` is the code point U+XXXX (for invisible characters: NBSP \\u{A0}, zero-width
  space \\u{200B}, ...); `\\\\` is a backslash. Everything else is literal UTF-8.
- Lines that are empty or start with `#` are comments.

Output, one JSON object a line: {"lang": "es", "text": "...", "spans": [{"entity":
"card", "start": 14, "end": 33}]}, offsets in bytes of the UTF-8 text, [start, end).

Every labeled span is checked to be valid PII of its kind (Luhn and brand for cards,
mod 97 for IBANs, SSA rules for SSNs, the shape of an address, and, when
python3-phonenumbers is installed, a valid number for phones), so a typo in a label is
caught here rather than counted against the detectors.

    label.py corpus/handwritten.txt -o corpus/handwritten.jsonl
    label.py corpus/handwritten.txt --check corpus/handwritten.jsonl   # exit 1 if stale
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pii  # noqa: E402

ENTITIES = ("card", "iban", "ssn", "email", "phone")
DEFAULT_REGION = {"es": "ES", "en": "US", "ar": "SA", "fa": "IR"}
ESCAPE = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}|\\\\")
MARK = re.compile(r"\[\[(card|iban|ssn|email|phone)(?:/([A-Z]{2}))?(!)?:(.+?)\]\]")


def unescape(s):
    return ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\\", s)


def check_span(entity, text, region):
    if entity == "card":
        return pii.card_valid(text)
    if entity == "iban":
        return pii.iban_valid(pii.ascii_digits(text).upper())
    if entity == "ssn":
        return pii.ssn_valid(text)
    if entity == "email":
        return pii.email_valid(text)
    ok = pii.phone_check(text, region)
    return True if ok is None else ok


def parse_line(line, lineno):
    m = re.match(r"^(es|en|ar|fa)\| (.*)$", line)
    if not m:
        raise ValueError(f"line {lineno}: expected 'es| ', 'en| ', 'ar| ' or 'fa| ' at the start")
    lang, body = m.group(1), m.group(2)
    text = ""
    spans = []
    pos = 0
    for mk in MARK.finditer(body):
        text += unescape(body[pos:mk.start()])
        entity, region, force, inner = mk.group(1), mk.group(2), mk.group(3), unescape(mk.group(4))
        start = len(text.encode("utf-8"))
        text += inner
        end = len(text.encode("utf-8"))
        region = region or DEFAULT_REGION[lang]
        if not force and not check_span(entity, inner, region):
            raise ValueError(f"line {lineno}: {entity} {inner!r} is not valid (region {region})")
        spans.append({"entity": entity, "start": start, "end": end})
        pos = mk.end()
    text += unescape(body[pos:])
    if "[[" in text or "]]" in text:
        raise ValueError(f"line {lineno}: unbalanced marker")
    return {"lang": lang, "text": text, "spans": spans}


def convert(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            out.append(parse_line(line, lineno))
    return out


def dumps(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source")
    ap.add_argument("-o", "--out", help="write the JSONL here (default: stdout)")
    ap.add_argument("--check", metavar="JSONL", help="exit 1 if JSONL is not what the source gives")
    args = ap.parse_args()
    try:
        records = convert(args.source)
    except ValueError as e:
        print(f"{args.source}: {e}", file=sys.stderr)
        return 1
    text = dumps(records)
    langs = {lang: sum(r["lang"] == lang for r in records) for lang in DEFAULT_REGION}
    counts = {e: sum(s["entity"] == e for r in records for s in r["spans"]) for e in ENTITIES}
    summary = f"{len(records)} messages (" + ", ".join(f"{n} {lang}" for lang, n in langs.items() if n) + \
        "); spans: " + ", ".join(f"{e} {n}" for e, n in counts.items())
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            if f.read() != text:
                print(f"{args.check} is stale: run tests/masking/tools/label.py {args.source} -o {args.check}",
                      file=sys.stderr)
                return 1
        print(f"{args.check}: up to date, {summary}")
        return 0
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"{args.out}: {summary}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
