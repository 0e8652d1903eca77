"""Makers and checkers of the PII the masking corpus labels: card numbers (brand prefix
and length, Luhn), IBANs (SWIFT registry length and BBAN format, mod 97), US SSNs (SSA
rules), e-mail addresses and phone numbers (E.164). Standard library only; the phone
checks use python3-phonenumbers when it is installed (see phone_oracle()).

Used by label.py (to refuse a hand-written label that is not valid PII) and by
generate.py (to make valid PII and near-miss decoys)."""

import re
import sys
import unicodedata

# ---------------------------------------------------------------------------- text


def ascii_digits(s):
    """Full-width and other Unicode decimal digits to ASCII; everything else kept."""
    out = []
    for ch in s:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.decimal(ch)))
                continue
            except ValueError:
                pass
        out.append(ch)
    return "".join(out)


def fold(s):
    """Full-width ASCII forms to ASCII (NFKC does that and also turns NBSP into a space)."""
    return unicodedata.normalize("NFKC", s)


def digits_of(s):
    return "".join(ch for ch in ascii_digits(fold(s)) if ch.isdigit() and ch.isascii())


# ---------------------------------------------------------------------------- cards


def luhn_ok(d):
    total = 0
    for i, ch in enumerate(reversed(d)):
        v = int(ch)
        if i % 2 == 1:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return total % 10 == 0


def luhn_complete(partial):
    """partial + the check digit that makes it Luhn-valid."""
    for c in "0123456789":
        if luhn_ok(partial + c):
            return partial + c
    raise AssertionError("unreachable")


# brand: (list of prefixes, length, grouping)
CARD_BRANDS = {
    "visa": (["4"], 16, (4, 4, 4, 4)),
    "visa13": (["4"], 13, (4, 4, 5)),
    "mastercard": (["51", "52", "53", "54", "55", "2221", "2300", "2720"], 16, (4, 4, 4, 4)),
    "amex": (["34", "37"], 15, (4, 6, 5)),
    "discover": (["6011", "65", "644"], 16, (4, 4, 4, 4)),
    "jcb": (["3528", "3530", "3566", "3589"], 16, (4, 4, 4, 4)),
    "diners": (["36", "300", "305"], 14, (4, 6, 4)),
    "unionpay": (["62"], 16, (4, 4, 4, 4)),
    "maestro": (["6759", "6763", "5018"], 16, (4, 4, 4, 4)),
}

_BRAND_RANGES = [  # (prefix length, lo, hi, min length, max length)
    (1, 4, 4, 13, 19), (2, 51, 55, 16, 16), (4, 2221, 2720, 16, 16), (2, 34, 34, 15, 15),
    (2, 37, 37, 15, 15), (4, 6011, 6011, 16, 19), (3, 644, 649, 16, 19), (2, 65, 65, 16, 19),
    (4, 3528, 3589, 16, 19), (3, 300, 305, 14, 19), (4, 3095, 3095, 14, 19), (2, 36, 36, 14, 19),
    (2, 38, 39, 16, 19), (2, 62, 62, 16, 19), (2, 50, 50, 12, 19), (2, 56, 69, 12, 19),
    (4, 2200, 2204, 16, 19),
]


def card_brand_ok(d):
    if not 12 <= len(d) <= 19:
        return False
    for plen, lo, hi, mn, mx in _BRAND_RANGES:
        if lo <= int(d[:plen]) <= hi and mn <= len(d) <= mx:
            if plen == 1 and len(d) not in (13, 16, 19):
                continue
            return True
    return False


def card_valid(written):
    d = digits_of(written)
    return card_brand_ok(d) and luhn_ok(d)


def make_card(rng, brand):
    prefixes, length, grouping = CARD_BRANDS[brand]
    p = rng.choice(prefixes)
    body = p + "".join(rng.choice("0123456789") for _ in range(length - len(p) - 1))
    return luhn_complete(body), grouping


def group(d, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(d[i:i + n])
        i += n
    if i < len(d):
        out.append(d[i:])
    return sep.join(x for x in out if x)


def group_by(d, n, sep):
    return sep.join(d[i:i + n] for i in range(0, len(d), n))


# ---------------------------------------------------------------------------- IBAN

# SWIFT IBAN registry: country -> (total length, BBAN structure)
IBAN_FORMATS = {
    "ES": (24, "4n4n1n1n10n"), "DE": (22, "8n10n"), "GB": (22, "4a6n8n"), "FR": (27, "5n5n11c2n"),
    "NL": (18, "4a10n"), "IT": (27, "1a5n5n12c"), "PT": (25, "4n4n11n2n"), "BE": (16, "3n7n2n"),
    "IE": (22, "4a6n8n"), "AT": (20, "5n11n"), "CH": (21, "5n12c"), "PL": (28, "8n16n"),
    "LU": (20, "3n13c"), "DK": (18, "4n9n1n"), "SE": (24, "3n16n1n"), "FI": (18, "3n11n"),
    "NO": (15, "4n6n1n"), "GR": (27, "3n4n16c"), "MT": (31, "4a5n18c"), "MC": (27, "5n5n11c2n"),
}
BANK_CODES = {"GB": ["NWBK", "BARC", "LOYD", "HBUK", "MIDL"], "NL": ["ABNA", "INGB", "RABO", "SNSB"],
              "IE": ["AIBK", "BOFI"], "MT": ["MALT", "VALL"]}


def _bban_ok(fmt, bban):
    i = 0
    for count, kind in re.findall(r"(\d+)([nac])", fmt):
        for _ in range(int(count)):
            if i >= len(bban):
                return False
            c = bban[i]
            if kind == "n" and not c.isdigit():
                return False
            if kind == "a" and not ("A" <= c <= "Z"):
                return False
            if kind == "c" and not (c.isdigit() or "A" <= c <= "Z"):
                return False
            i += 1
    return i == len(bban)


def _mod97(s):
    return int("".join(str(int(c, 36)) for c in s)) % 97


def iban_valid(written):
    s = re.sub(r"[\s\-\u00a0\u200b-\u200d\u2060\ufeff]", "", fold(written))
    cc = s[:2]
    if cc not in IBAN_FORMATS or len(s) != IBAN_FORMATS[cc][0] or not s[2:4].isdigit():
        return False
    return _bban_ok(IBAN_FORMATS[cc][1], s[4:]) and _mod97(s[4:] + s[:4]) == 1


def make_iban(rng, cc):
    length, fmt = IBAN_FORMATS[cc]
    bban = []
    for count, kind in re.findall(r"(\d+)([nac])", fmt):
        count = int(count)
        if kind == "a" and count == 4 and cc in BANK_CODES and not bban:
            bban.append(rng.choice(BANK_CODES[cc]))
            continue
        alphabet = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    "c": "0123456789" * 3 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}[kind]
        bban.append("".join(rng.choice(alphabet) for _ in range(count)))
    bban = "".join(bban)
    check = 98 - _mod97(bban + cc + "00")
    iban = f"{cc}{check:02d}{bban}"
    assert len(iban) == length and iban_valid(iban), iban
    return iban


# ---------------------------------------------------------------------------- SSN


def ssn_valid(written):
    d = digits_of(written)
    if len(d) != 9:
        return False
    area, grp, serial = int(d[:3]), int(d[3:5]), int(d[5:])
    if area == 0 or area == 666 or area >= 900 or grp == 0 or serial == 0:
        return False
    return d not in ("078051120", "219099999")


def make_ssn(rng):
    while True:
        area = rng.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


_SSN_WRITTEN = re.compile(r"^\d{3}([-. ]?)\d{2}\1\d{4}$")


def ssn_written_valid(written):
    """An SSN as the detectors must take it: SSA rules, and AAA-GG-SSSS with one
    separator kind (dash, space or dot) in both places, or none."""
    return bool(_SSN_WRITTEN.match(fold(written))) and ssn_valid(written)


def make_itin(rng):
    """An ITIN (IRS individual taxpayer number): 9XX-GG-SSSS with group 50-65, 70-88,
    90-92 or 94-99. Written like an SSN; a tax id, not an SSN (area 900-999)."""
    group = rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
    sep = rng.choices(["-", " ", "."], weights=[85, 10, 5])[0]
    return f"9{rng.randint(0, 99):02d}{sep}{group:02d}{sep}{rng.randint(1, 9999):04d}"


def make_invalid_ssn(rng):
    """Something written like an SSN that is none: area 000, 666 or 900-999, group 00,
    serial 0000, two separator kinds, or a number published as an example (the Woolworth
    wallet card 078-05-1120, the SSA's advertisement 219-09-9999). Never nine bare digits
    (from 6 to 9 those are read as Spanish phones)."""
    kind = rng.choices(["area000", "area666", "area9xx", "group00", "serial0000", "mixed", "published"],
                       weights=[12, 12, 24, 14, 14, 16, 8])[0]
    area, group, serial = rng.randint(1, 899), rng.randint(1, 99), rng.randint(1, 9999)
    if area == 666:
        area = 665
    if kind == "area000":
        area = 0
    elif kind == "area666":
        area = 666
    elif kind == "area9xx":
        return make_itin(rng) if rng.random() < 0.6 else f"9{rng.randint(0, 99):02d}-{group:02d}-{serial:04d}"
    elif kind == "group00":
        group = 0
    elif kind == "serial0000":
        serial = 0
    elif kind == "published":
        return rng.choice(["078-05-1120", "219-09-9999"])
    if kind == "mixed":
        first, second = rng.sample(["-", " ", "."], 2)
    else:
        first = second = rng.choices(["-", " ", "."], weights=[80, 12, 8])[0]
    return f"{area:03d}{first}{group:02d}{second}{serial:04d}"


# ---------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def email_valid(written):
    s = "".join(ch for ch in written if unicodedata.category(ch) != "Cf")
    return bool(_EMAIL.match(fold(s)))


# ---------------------------------------------------------------------------- phones

_PHONENUMBERS = None


def phone_oracle():
    """The phonenumbers module (Debian python3-phonenumbers) or None. An interpreter
    outside Debian's (pyenv, a venv) does not see dist-packages: look there too."""
    global _PHONENUMBERS
    if _PHONENUMBERS is None:
        try:
            import phonenumbers  # noqa: F401
        except ImportError:
            for d in ("/usr/lib/python3/dist-packages",):
                if d not in sys.path:
                    sys.path.append(d)
            try:
                import phonenumbers  # noqa: F401,F811
            except ImportError:
                phonenumbers = False
        _PHONENUMBERS = phonenumbers
    return _PHONENUMBERS or None


def phone_check(written, region):
    """True/False from the oracle (the number as written parses, in `region` when it has
    no '+', to a valid number), or None when python3-phonenumbers is not installed."""
    pn = phone_oracle()
    if pn is None:
        return None
    s = "".join(ch for ch in fold(written) if unicodedata.category(ch) != "Cf")
    try:
        num = pn.parse(s, region)
    except pn.NumberParseException:
        return False
    return pn.is_valid_number(num)
