#!/usr/bin/env python3
"""Deterministic generator of a labeled contact-center chat corpus for the masking
detectors (Spanish and English customer messages).

    generate.py --size-mb 8 --out build-bench/mask/corpus.jsonl   # the benchmark corpus
    generate.py --lines 500 --out tests/masking/corpus/generated.jsonl  # the committed sample
    generate.py --lines 500 --check tests/masking/corpus/generated.jsonl  # exit 1 if stale

Output: one JSON object a line, {"lang": "es", "text": "...", "spans": [{"entity":
"phone", "start": 12, "end": 23}]}, byte offsets into the UTF-8 text, [start, end).

- About 15% of the messages (--pii-rate) carry PII: card numbers (Visa, Mastercard, Amex,
  Discover, JCB, Diners, UnionPay, Maestro; Luhn), IBANs (20 countries; BBAN format and
  mod-97 check digits computed), US SSNs (SSA rules), e-mail addresses (plus addressing,
  subdomains, IDN) and phone numbers (ES, US, GB, MX, AR, CO, CL, FR, DE, IT; E.164 and
  national formats). A few are written with full-width digits, NBSP separators or
  zero-width characters, as pasted text comes.
- Plenty of decoys, never labeled: dates, times, ISO timestamps, prices, order, invoice,
  tracking, ticket and customer numbers, Unix timestamps (s and ms), version numbers,
  percentages, zip codes, OTP codes, IMEIs, IP addresses, masked card numbers, Luhn-valid
  numbers without a card prefix, Luhn-invalid card-like numbers, and numbers written
  like SSNs that are none (area 000, 666 or 900-999 such as ITINs, group 00, serial
  0000, two separator kinds, the published 078-05-1120 and 219-09-9999).
- The labels are checked as they are made (tools/pii.py). When python3-phonenumbers is
  installed (Debian package; the generator also looks in /usr/lib/python3/dist-packages
  when the running interpreter is not Debian's), every generated phone number is parsed
  by it and must be a valid number: it is the independent oracle. Without it the output
  is the same (the oracle only checks, it never chooses), just unchecked.
- Fixed seed (--seed): the same arguments give the same bytes.

--size-mb N stops once the messages' text (not the JSONL) reaches N MiB.
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pii  # noqa: E402

DEFAULT_SEED = 20241125

# ============================================================================ PII makers
# Each maker returns (text, region or None); region is only for the phone oracle.


def rd(rng, n):
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_card_text(rng):
    brand = rng.choices(list(pii.CARD_BRANDS), weights=[38, 3, 28, 10, 5, 4, 3, 4, 5])[0]
    d, grouping = pii.make_card(rng, brand)
    style = rng.choices(["space", "compact", "dash"], weights=[55, 30, 15])[0]
    if style == "compact":
        return d
    return pii.group(d, grouping, " " if style == "space" else "-")


def make_iban_text(rng):
    cc = rng.choices(["ES", "DE", "GB", "FR", "NL", "IT", "PT", "BE", "IE", "AT", "CH", "PL", "LU", "DK",
                      "SE", "FI", "NO", "GR", "MT", "MC"],
                     weights=[40, 10, 9, 8, 6, 6, 4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, 0.5, 0.5])[0]
    iban = pii.make_iban(rng, cc)
    style = rng.choices(["space", "compact", "dash"], weights=[60, 35, 5])[0]
    if style == "compact":
        return iban
    return pii.group_by(iban, 4, " " if style == "space" else "-")


def make_ssn_text(rng, allow_bare):
    d = pii.make_ssn(rng)
    style = rng.choices(["dash", "space", "dot", "bare"], weights=[70, 15, 5, 10 if allow_bare else 0])[0]
    if style == "bare":
        return d
    sep = {"dash": "-", "space": " ", "dot": "."}[style]
    return f"{d[:3]}{sep}{d[3:5]}{sep}{d[5:]}"


FIRST_ES = ["maria", "jose", "juan", "ana", "carlos", "lucia", "javier", "laura", "pablo", "marta", "sergio",
            "carmen", "alejandro", "elena", "david", "paula", "jorge", "sofia", "miguel", "raquel", "ines",
            "andres", "valentina", "diego", "camila", "mateo", "florencia", "santiago", "agustina"]
LAST_ES = ["garcia", "fernandez", "gonzalez", "rodriguez", "lopez", "martinez", "sanchez", "perez", "gomez",
           "martin", "jimenez", "ruiz", "hernandez", "diaz", "moreno", "alvarez", "romero", "navarro", "torres"]
FIRST_EN = ["john", "mary", "james", "linda", "michael", "sarah", "david", "emma", "chris", "olivia", "daniel",
            "sophie", "matt", "jessica", "ryan", "hannah", "kevin", "megan", "tom", "ashley", "liam", "chloe"]
LAST_EN = ["smith", "johnson", "williams", "brown", "jones", "miller", "davis", "wilson", "taylor", "clark",
           "walker", "wright", "hall", "young", "king", "scott", "green", "baker", "adams", "obrien"]
DOMAINS_ES = ["gmail.com", "hotmail.com", "hotmail.es", "yahoo.es", "outlook.es", "outlook.com", "icloud.com",
              "telefonica.net", "movistar.es", "gmail.com", "live.com.mx", "yahoo.com.ar", "prodigy.net.mx",
              "correo.uy", "empresa.com.mx", "uniovi.es", "gmail.com"]
DOMAINS_EN = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.co.uk", "icloud.com", "aol.com", "proton.me",
              "comcast.net", "btinternet.com", "acme-corp.com", "example.org", "gmail.com", "me.com"]
SUBDOMAINS = ["mail.", "correo.", "eu.", "us.", "corp.", "alumnos."]
IDN = [("josé", "correo.es"), ("núñez", "telefónica.es"), ("info", "münchen.de"), ("ventas", "españa.com"),
       ("françois", "exemple.fr"), ("zoë", "example.com"), ("info", "xn--espaa-rta.com")]


def make_email_text(rng, lang):
    if rng.random() < 0.04:
        local, dom = rng.choice(IDN)
        return f"{local}@{dom}"
    first = rng.choice(FIRST_ES if lang == "es" else FIRST_EN)
    last = rng.choice(LAST_ES if lang == "es" else LAST_EN)
    local = rng.choice([f"{first}.{last}", f"{first}{last}", f"{first}_{last}", f"{first[0]}{last}",
                        f"{first}.{last}{rng.randint(1, 99)}", f"{first}{rng.randint(70, 2005)}",
                        f"{first[0]}.{last}", f"{last}.{first}"])
    if rng.random() < 0.10:
        local += "+" + rng.choice(["pedidos", "facturas", "shop", "amazon", "news", "work", "orders"])
    domain = rng.choice(DOMAINS_ES if lang == "es" else DOMAINS_EN)
    if rng.random() < 0.10:
        domain = rng.choice(SUBDOMAINS) + domain
    email = f"{local}@{domain}"
    if rng.random() < 0.03:
        email = email.upper()
    elif rng.random() < 0.15:
        email = email[0].upper() + email[1:]
    return email


US_AREAS = ["201", "212", "213", "305", "312", "415", "617", "646", "702", "713", "818", "917", "786", "404"]


def _g(s, *sizes, sep=" "):
    return pii.group(s, sizes, sep)


def make_phone_text(rng, lang):
    """(text, region): a phone number as customers write it."""
    if lang == "es":
        country = rng.choices(["ES", "MX", "AR", "CO", "CL", "US"], weights=[55, 18, 10, 7, 5, 5])[0]
    else:
        country = rng.choices(["US", "GB", "FR", "DE", "IT", "ES"], weights=[55, 25, 6, 6, 4, 4])[0]
    pick = lambda *opts: rng.choice(opts)  # noqa: E731
    if country == "ES":
        if rng.random() < 0.8:
            n = pick("6" + rd(rng, 1), "7" + rng.choice("1234")) + rd(rng, 7)
        else:
            n = pick("91", "93", "94", "95", "96", "98") + rng.choice("2345678") + rd(rng, 6)
        style = rng.choices(range(7), weights=[20, 30, 15, 15, 10, 5, 5])[0]
        text = [n, _g(n, 3, 3, 3), _g(n, 3, 2, 2, 2) if n[0] in "67" else _g(n, 2, 3, 2, 2),
                "+34 " + _g(n, 3, 3, 3), "+34" + n, "0034 " + _g(n, 3, 3, 3), "+34 " + _g(n, 3, 2, 2, 2)][style]
    elif country == "US":
        n = rng.choice(US_AREAS) + rng.choice("23456789") + rd(rng, 2) + rd(rng, 4)
        style = rng.choices(range(9), weights=[25, 20, 8, 12, 8, 10, 5, 4, 8])[0]
        a, b, c = n[:3], n[3:6], n[6:]
        text = [f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"+1{n}",
                f"+1 ({a}) {b}-{c}", f"1-{a}-{b}-{c}", f"+ 1 ({a}) {b} {c}", n][style]
    elif country == "GB":
        if rng.random() < 0.75:
            n = "7" + pick(rng.choice("4589") + rd(rng, 1), "7" + rng.choice("12345678")) + rd(rng, 7)
            style = rng.choices(range(4), weights=[35, 25, 25, 15])[0]
            text = ["0" + _g(n, 4, 6), "+44 " + _g(n, 4, 6), "+44" + n, "+44 (0)" + _g(n, 4, 6)][style]
        else:
            n = "20" + rng.choice("378") + rd(rng, 7)
            style = rng.choices(range(3), weights=[50, 30, 20])[0]
            text = ["0" + _g(n, 2, 4, 4), "+44 " + _g(n, 2, 4, 4), "+44 (0)" + _g(n, 2, 4, 4)][style]
    elif country == "MX":
        n = pick("55", "33", "81") + rng.choice("123456789") + rd(rng, 7)
        style = rng.choices(range(5), weights=[35, 15, 25, 15, 10])[0]
        text = ["+52 " + _g(n, 2, 4, 4), "+52" + n, _g(n, 2, 4, 4), f"({n[:2]}) {n[2:6]} {n[6:]}",
                "+52 1 " + _g(n, 2, 4, 4)][style]
    elif country == "AR":
        n = "11" + rng.choice("2345678") + rd(rng, 7)
        style = rng.choices(range(4), weights=[45, 20, 25, 10])[0]
        text = [f"+54 9 11 {n[2:6]}-{n[6:]}", f"+54 11 {n[2:6]}-{n[6:]}", f"11 {n[2:6]}-{n[6:]}",
                f"+5491{n[1:]}"][style]
    elif country == "CO":
        n = rng.choice(["300", "301", "302", "304", "305", "310", "311", "312", "313", "314", "315", "316",
                        "317", "318", "320", "321"]) + rd(rng, 7)
        text = rng.choice(["+57 " + _g(n, 3, 3, 4), "+57" + n, _g(n, 3, 3, 4)])
    elif country == "CL":
        n = "9" + rng.choice("2458") + rd(rng, 7)
        text = rng.choice(["+56 9 " + _g(n[1:], 4, 4), "+56" + n])
    elif country == "FR":
        n = "6" + rng.choice("01245678") + rd(rng, 7)
        text = rng.choice(["0" + _g(n, 1, 2, 2, 2, 2), "+33 " + _g(n, 1, 2, 2, 2, 2), "+33" + n])
    elif country == "DE":
        if rng.random() < 0.6:
            n = rng.choice(["151", "152", "160", "170", "171", "172", "175", "176", "177", "178", "179"]) + rd(rng, 8)
            text = rng.choice(["+49 " + _g(n, 3, 8), "+49" + n, "0" + _g(n, 3, 8)])
        else:
            n = "30" + rng.choice("2345689") + rd(rng, 7)
            text = rng.choice(["+49 " + _g(n, 2, 8), "030 " + n[2:]])
    else:  # IT
        n = "3" + rng.choice(["20", "28", "30", "31", "33", "34", "35", "38", "39", "40", "47", "48", "49", "66",
                              "88", "89", "91", "92", "93"]) + rd(rng, 7)
        text = rng.choice(["+39 " + _g(n, 3, 3, 4), "+39" + n])
    return text, country


# Pasted text: full-width digits, NBSP or narrow NBSP separators, zero-width characters.
FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def disguise(rng, text, entity):
    r = rng.random()
    if r < 0.015 and entity != "email":  # IME full-width forms
        return text.translate(FULLWIDTH)
    if r < 0.04 and " " in text and entity != "email":
        return text.replace(" ", rng.choice(["\u00a0", "\u00a0", "\u202f"]))
    if r < 0.055:
        zw = rng.choice(["\u200b", "\u200c", "\u200d", "\u2060"])
        if entity == "email":
            at = text.index("@")
            k = rng.randint(1, at - 1) if at > 1 else 1
            return text[:k] + zw + text[k:]
        return text.replace(" ", zw) if " " in text else text[:4] + zw + text[4:]
    return text


# ============================================================================ decoys
# Each returns text; never labeled.


def decoy_date(rng, lang):
    y, m, d = rng.choice([2023, 2024, 2024, 2025]), rng.randint(1, 12), rng.randint(1, 28)
    forms = [f"{y}-{m:02d}-{d:02d}", f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y % 100:02d}", f"{d:02d}-{m:02d}-{y}",
             f"{d:02d}.{m:02d}.{y}"]
    if lang == "en":
        forms += [f"{m:02d}/{d:02d}/{y}", f"{m}/{d}/{y}"]
    return rng.choice(forms)


def decoy_time(rng, lang):
    h, mi = rng.randint(0, 23), rng.randint(0, 59)
    forms = [f"{h:02d}:{mi:02d}", f"{h}:{mi:02d}", f"{h:02d}:{mi:02d}:{rng.randint(0, 59):02d}"]
    forms += [f"{h:02d}:{mi:02d}h"] if lang == "es" else [f"{(h % 12) or 12}:{mi:02d} {'pm' if h >= 12 else 'am'}"]
    return rng.choice(forms)


def decoy_datetime(rng, lang):
    y, m, d = 2024, rng.randint(1, 12), rng.randint(1, 28)
    h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    return rng.choice([f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z",
                       f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{rng.randint(0, 999):03d}Z",
                       f"{y}-{m:02d}-{d:02d} {h:02d}:{mi:02d}:{s:02d}",
                       f"{y}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}+01:00"])


def _thousands(n, sep):
    s = str(n)
    out = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return sep.join(out)


def decoy_price(rng, lang):
    units = rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 25000)])
    cents = rng.choice([0, 99, 50, 95, rng.randint(0, 99)])
    if lang == "es":
        v = f"{_thousands(units, '.')},{cents:02d}"
        return rng.choice([f"{v} €", f"{v}€", f"€{v}", f"{_thousands(units, '.')} €", f"{v} EUR", f"${v} MXN",
                           f"MXN ${_thousands(units, ',')}.{cents:02d}", f"{v} euros"])
    v = f"{_thousands(units, ',')}.{cents:02d}"
    return rng.choice([f"${v}", f"${_thousands(units, ',')}", f"USD {v}", f"£{v}", f"{v} USD", f"€{v}"])


def decoy_order(rng):
    return rng.choice([rd(rng, 9), rd(rng, 8), "#" + rng.choice("ABCDEFGHJK") + "-" + rd(rng, 5),
                       "#" + rd(rng, 7), f"{rng.choice(['111', '112', '113', '114', '171', '202', '203', '302', '402', '403', '404', '405', '406', '407'])}-{rd(rng, 7)}-{rd(rng, 7)}",
                       "ES" + rd(rng, 10), rng.choice("123456789") + rd(rng, 11)])


def decoy_tracking(rng):
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return rng.choice([
        "1Z" + "".join(rng.choice(alnum) for _ in range(6)) + rd(rng, 10),
        rng.choice(["RR", "RA", "LX", "CP", "UA", "PQ"]) + rd(rng, 9) + rng.choice(["ES", "GB", "US", "MX", "CN"]),
        pii.group_by("9400" + rd(rng, 18), 4, " "),
        "9400" + rd(rng, 18),
        pii.group_by(rd(rng, 12), 4, " "),
        rd(rng, 12),
        "JJD" + rd(rng, 18),
        "PQ" + rd(rng, 2) + "".join(rng.choice(alnum) for _ in range(4)) + rd(rng, 14),
    ])


def decoy_invoice(rng):
    return rng.choice([f"F-2024-{rd(rng, 6)}", f"INV-2024-{rd(rng, 5)}", f"FAC2024/{rd(rng, 5)}",
                       f"A{rd(rng, 8)}", f"2024/{rd(rng, 6)}"])


def decoy_ticket(rng):
    return rng.choice([rd(rng, 8), "00" + rd(rng, 6), "INC" + rd(rng, 7), "CS-" + rd(rng, 6), rd(rng, 13)])


def decoy_customer(rng):
    return rng.choice([rng.choice("123456789") + rd(rng, 8), rd(rng, 7), "C" + rd(rng, 9), rd(rng, 10)])


def decoy_ts(rng):
    s = rng.randint(1_600_000_000, 1_760_000_000)
    return rng.choice([str(s), str(s * 1000 + rng.randint(0, 999))])


def decoy_version(rng):
    return rng.choice([f"{rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
                       f"v{rng.randint(1, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}",
                       f"{rng.randint(1, 9)}.{rng.randint(0, 99)}",
                       f"{rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 9)} (build {rng.randint(2023, 2025)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d})"])


def decoy_pct(rng, lang):
    v = rng.choice([str(rng.randint(1, 100)), f"{rng.randint(0, 30)}{',' if lang == 'es' else '.'}{rng.randint(1, 9)}"])
    return rng.choice([f"{v}%", f"{v} %"])


def decoy_zip(rng, lang):
    if lang == "es":
        return rng.choice([f"{rng.randint(1, 52):02d}{rd(rng, 3)}", f"{rng.randint(1000, 16999):05d}"])
    return rng.choice([f"{rng.randint(10000, 99999)}", f"{rng.randint(10000, 99999)}-{rd(rng, 4)}",
                       rng.choice(["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH"])])


def decoy_luhn(rng):
    """Luhn-valid, 16 digits, no card brand prefix: a loyalty or membership number."""
    while True:
        d = pii.luhn_complete(rng.choice("0789") + rd(rng, 14))
        if not pii.card_brand_ok(d):
            return rng.choice([pii.group_by(d, 4, " "), d])


def decoy_badcard(rng):
    """A card number with a wrong check digit (a typo): no card."""
    d, grouping = pii.make_card(rng, rng.choice(["visa", "mastercard"]))
    d = d[:-1] + str((int(d[-1]) + rng.randint(1, 9)) % 10)
    return pii.group(d, grouping, " ")


def decoy_masked(rng):
    last4 = rd(rng, 4)
    return rng.choice([f"**** **** **** {last4}", f"****{last4}", f"XXXX-XXXX-XXXX-{last4}", f"•••• {last4}",
                       f"*{last4}"])


def decoy_badssn(rng):
    """Written like an SSN, yet none (pii.make_invalid_ssn)."""
    t = pii.make_invalid_ssn(rng)
    assert not pii.ssn_written_valid(t), t
    return t


def decoy_itin(rng):
    t = pii.make_itin(rng)
    assert not pii.ssn_written_valid(t), t
    return t


def decoy_otp(rng):
    return rd(rng, 6)


def decoy_imei(rng):
    return pii.luhn_complete("35" + rd(rng, 12))


def decoy_ip(rng):
    return rng.choice([f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                       f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])


def decoy_qty(rng):
    return str(rng.choice([1, 2, 2, 3, 4, 5, 6, 10, 12, 24, 50, 100]))


def decoy_last4(rng):
    return rd(rng, 4)


def decoy_points(rng, lang):
    return _thousands(rng.randint(1000, 9_999_999), "." if lang == "es" else ",")


# ============================================================================ templates
# Slots: {card} {iban} {ssn} {ssn_any} {email} {phone} (PII, labeled) and decoys {date}
# {time} {datetime} {price} {order} {tracking} {invoice} {ticket} {customer} {ts}
# {version} {pct} {zip} {luhn} {badcard} {masked} {otp} {imei} {ip} {qty} {last4}
# {points} {badssn} {itin} {name}. {ssn_any} may be written as nine bare digits (only where the
# sentence says it is an SSN).

FILLER = {
    "es": [
        "Hola", "Hola, buenas tardes", "Buenos días", "¿Hay alguien?", "Gracias", "Muchas gracias por la ayuda",
        "vale", "ok", "Perfecto, gracias", "No me funciona la app", "Necesito ayuda con mi cuenta",
        "¿Me podéis ayudar?", "Llevo una semana esperando", "Es la tercera vez que escribo",
        "Quiero hablar con un agente", "no entiendo nada", "¿Cómo cancelo la suscripción?",
        "El paquete llegó roto", "Me ha llegado el producto equivocado", "¿Se puede cambiar la talla?",
        "Quiero devolverlo", "No me deja iniciar sesión", "Me sale un error al pagar", "Un saludo",
        "¿Sigues ahí?", "Vale, espero", "Genial 😊", "Esto es una vergüenza", "¿Cuánto tarda el reembolso?",
        "Sí, eso es", "no, no es eso", "Ya lo he intentado y nada", "Me habéis cobrado de más",
        "¿Dónde puedo ver la factura?", "Quiero darme de baja", "Todo correcto, gracias",
        "¿Podéis llamarme?", "Prefiero que me escribáis por aquí", "El repartidor no vino", "Adjunto foto",
    ],
    "en": [
        "Hi", "Hello there", "Good morning", "Anyone there?", "Thanks", "Thank you so much", "ok", "okay cool",
        "Perfect, thanks", "The app keeps crashing", "I need help with my account", "Can you help me?",
        "I've been waiting for a week", "This is the third time I write", "I want to talk to a human",
        "I don't get it", "How do I cancel my subscription?", "The package arrived damaged",
        "I got the wrong item", "Can I exchange it for a bigger size?", "I want to return it",
        "I can't log in", "I get an error at checkout", "Cheers", "Are you still there?", "Sure, I'll wait",
        "Great 👍", "This is unacceptable", "How long does the refund take?", "Yes, that's right",
        "no, that's not it", "I already tried that", "You overcharged me", "Where can I see the invoice?",
        "I want to close my account", "All good, thanks", "Can you call me?", "Please reply here instead",
        "The courier never showed up", "See the attached photo",
    ],
}

DECOY = {
    "es": [
        "mi pedido {order} no ha llegado", "pedido nº {order}, ¿cuándo llega?", "El número de pedido es {order}",
        "Hice el pedido el {date} a las {time}", "me llegó el {date} pero faltan {qty} unidades",
        "El seguimiento es {tracking} y no se mueve desde el {date}", "tracking {tracking}",
        "número de seguimiento: {tracking}", "La factura {invoice} por {price} está mal",
        "me habéis cobrado {price} en vez de {price}", "el precio era {price} y ahora {price}",
        "me aplicaron un descuento del {pct}", "mi código postal es {zip}", "vivo en el {zip}",
        "la app está en la versión {version}", "tengo la versión {version} y sigue fallando",
        "el error salió a las {time} del {date}", "log: {datetime} ERROR payment timeout",
        "timestamp {ts}", "id de sesión {ts}", "la incidencia {ticket} sigue abierta",
        "referencia {ticket}", "número de cliente {customer}", "mi número de socio es {luhn}",
        "tarjeta de puntos {luhn}", "probé con la tarjeta {badcard} pero da error",
        "la tarjeta que acaba en {last4} no funciona", "me cobraron en la tarjeta {masked}",
        "el código que me llegó es {otp}", "el IMEI es {imei}", "mi IP es {ip}",
        "son {qty} unidades a {price}", "tengo {points} puntos acumulados", "abrís el {date}?",
        "quedamos el {date} a las {time}", "el cargo de {price} del {date} no lo reconozco",
        "el contrato {customer} lo firmé el {date}", "pedido {order}, factura {invoice}",
        "el envío {tracking} llegó el {date} a las {time}", "la cuota sube un {pct} desde el {date}",
        "en la web pone {price} pero en el carrito {price}", "la reserva es para el {date}, {qty} personas",
        "mi ITIN es {itin}, no tengo seguro social", "el formulario dice que {badssn} no es un número de seguro social válido",
    ],
    "en": [
        "my order {order} hasn't arrived", "order {order}, when will it ship?", "The order number is {order}",
        "I placed the order on {date} at {time}", "it arrived on {date} but {qty} items are missing",
        "Tracking is {tracking} and it hasn't moved since {date}", "tracking {tracking}",
        "tracking number: {tracking}", "Invoice {invoice} for {price} is wrong",
        "you charged me {price} instead of {price}", "the price was {price} and now it's {price}",
        "I got a {pct} discount", "my zip is {zip}", "I'm in {zip}",
        "the app is on version {version}", "I'm on version {version} and it still fails",
        "the error showed up at {time} on {date}", "log: {datetime} ERROR payment timeout",
        "timestamp {ts}", "session id {ts}", "ticket {ticket} is still open", "reference {ticket}",
        "customer number {customer}", "my membership number is {luhn}", "loyalty card {luhn}",
        "I tried the card {badcard} but it fails", "the card ending in {last4} doesn't work",
        "you charged my card {masked}", "the code I got is {otp}", "the IMEI is {imei}", "my IP is {ip}",
        "{qty} items at {price} each", "I have {points} points", "are you open on {date}?",
        "see you on {date} at {time}", "I don't recognise the {price} charge on {date}",
        "account {customer} opened on {date}", "order {order}, invoice {invoice}",
        "parcel {tracking} was delivered on {date} at {time}", "my plan goes up {pct} from {date}",
        "the site says {price} but the cart says {price}", "booking for {date}, {qty} people",
        "I only have an ITIN, {itin}", "the form rejects {badssn} as a social security number",
        "is {badssn} a valid SSN? the site won't take it",
    ],
}

PII = {
    "es": [
        ("card", "mi tarjeta es {card}"), ("card", "Tarjeta: {card}"), ("card", "os paso la tarjeta {card}, caduca {date}"),
        ("card", "pagadlo con la {card}"), ("card", "el número de la tarjeta es {card} y el pedido {order}"),
        ("card", "cobradme los {price} en la {card}"), ("card", "{card}"),
        ("iban", "mi IBAN es {iban}"), ("iban", "IBAN: {iban}"), ("iban", "haced la devolución a {iban}"),
        ("iban", "la cuenta para el reembolso de {price} es {iban}"), ("iban", "{iban}"),
        ("ssn", "mi número de seguro social es {ssn_any}"), ("ssn", "SSN {ssn_any}"), ("ssn", "seguro social: {ssn}"),
        ("email", "mi correo es {email}"), ("email", "escribidme a {email}"), ("email", "Email: {email}"),
        ("email", "la factura {invoice} mandadla a {email}"), ("email", "{email}"),
        ("email", "cambiad el correo de la cuenta a {email} por favor"),
        ("phone", "mi teléfono es {phone}"), ("phone", "llamadme al {phone}"), ("phone", "Móvil: {phone}"),
        ("phone", "me podéis llamar al {phone} a partir de las {time}"), ("phone", "{phone}"),
        ("phone", "el repartidor puede llamar al {phone}"), ("phone", "mi whatsapp es {phone}"),
        ("phone", "pedido {order}, contacto {phone}"),
        ("email+phone", "correo {email} y teléfono {phone}"), ("card+email", "tarjeta {card}, email {email}"),
        ("iban+phone", "IBAN {iban}, si hay dudas llamad al {phone}"),
    ],
    "en": [
        ("card", "my card is {card}"), ("card", "Card: {card}"), ("card", "here's my card {card}, exp {date}"),
        ("card", "charge it to {card}"), ("card", "card number {card} for order {order}"),
        ("card", "please charge the {price} to {card}"), ("card", "{card}"),
        ("iban", "my IBAN is {iban}"), ("iban", "IBAN: {iban}"), ("iban", "refund to {iban} please"),
        ("iban", "send the {price} refund to {iban}"), ("iban", "{iban}"),
        ("ssn", "my SSN is {ssn_any}"), ("ssn", "social security number {ssn_any}"), ("ssn", "SSN: {ssn}"),
        ("ssn", "for the tax form, {ssn}"),
        ("email", "my email is {email}"), ("email", "send it to {email}"), ("email", "Email: {email}"),
        ("email", "please send invoice {invoice} to {email}"), ("email", "{email}"),
        ("email", "update my account email to {email}"),
        ("phone", "my number is {phone}"), ("phone", "call me at {phone}"), ("phone", "Phone: {phone}"),
        ("phone", "you can call me on {phone} after {time}"), ("phone", "{phone}"),
        ("phone", "the courier can call {phone}"), ("phone", "text me on {phone}"),
        ("phone", "order {order}, contact {phone}"),
        ("email+phone", "email {email}, phone {phone}"), ("card+email", "card {card}, email {email}"),
        ("iban+phone", "IBAN {iban}, any questions call {phone}"),
    ],
}

NAMES = {"es": ["Lucía", "Jorge", "Marta", "Andrés", "Carmen", "Diego"],
         "en": ["Mark", "Sarah", "Tom", "Emma", "Kevin", "Olivia"]}


class Generator:
    def __init__(self, seed, pii_rate):
        self.rng = random.Random(seed)
        self.pii_rate = pii_rate
        self.oracle = pii.phone_oracle()
        self.phones_checked = 0

    # -- slots ---------------------------------------------------------------
    def fill(self, slot, lang):
        """(text, entity or None)."""
        rng = self.rng
        if slot == "card":
            t = make_card_text(rng)
            assert pii.card_valid(t), t
            return disguise(rng, t, "card"), "card"
        if slot == "iban":
            t = make_iban_text(rng)
            assert pii.iban_valid(t), t
            return disguise(rng, t, "iban"), "iban"
        if slot in ("ssn", "ssn_any"):
            t = make_ssn_text(rng, slot == "ssn_any")
            assert pii.ssn_valid(t), t
            return disguise(rng, t, "ssn"), "ssn"
        if slot == "email":
            t = make_email_text(rng, lang)
            assert pii.email_valid(t), t
            return disguise(rng, t, "email"), "email"
        if slot == "phone":
            t, region = make_phone_text(rng, lang)
            ok = pii.phone_check(t, region)
            if ok is not None:
                self.phones_checked += 1
                if not ok:
                    raise AssertionError(f"python3-phonenumbers says {t!r} is no valid {region} number")
            return disguise(rng, t, "phone"), "phone"
        if slot == "name":
            return rng.choice(NAMES[lang]), None
        makers = {
            "date": lambda: decoy_date(rng, lang), "time": lambda: decoy_time(rng, lang),
            "datetime": lambda: decoy_datetime(rng, lang), "price": lambda: decoy_price(rng, lang),
            "order": lambda: decoy_order(rng), "tracking": lambda: decoy_tracking(rng),
            "invoice": lambda: decoy_invoice(rng), "ticket": lambda: decoy_ticket(rng),
            "customer": lambda: decoy_customer(rng), "ts": lambda: decoy_ts(rng),
            "version": lambda: decoy_version(rng), "pct": lambda: decoy_pct(rng, lang),
            "zip": lambda: decoy_zip(rng, lang), "luhn": lambda: decoy_luhn(rng),
            "badcard": lambda: decoy_badcard(rng), "masked": lambda: decoy_masked(rng),
            "otp": lambda: decoy_otp(rng), "imei": lambda: decoy_imei(rng), "ip": lambda: decoy_ip(rng),
            "qty": lambda: decoy_qty(rng), "last4": lambda: decoy_last4(rng),
            "points": lambda: decoy_points(rng, lang), "badssn": lambda: decoy_badssn(rng),
            "itin": lambda: decoy_itin(rng),
        }
        return makers[slot](), None

    def render(self, template, lang, parts):
        """Appends the template's pieces to parts: [(text, entity or None)]."""
        pos = 0
        while True:
            b = template.find("{", pos)
            if b < 0:
                parts.append((template[pos:], None))
                return
            e = template.index("}", b)
            parts.append((template[pos:b], None))
            parts.append(self.fill(template[b + 1:e], lang))
            pos = e + 1

    # -- messages ------------------------------------------------------------
    def sentence(self, lang, decoy_p):
        if self.rng.random() < decoy_p:
            return self.rng.choice(DECOY[lang])
        return self.rng.choice(FILLER[lang])

    def message(self):
        rng = self.rng
        lang = "es" if rng.random() < 0.5 else "en"
        templates = []
        if rng.random() < self.pii_rate:
            _, t = rng.choice(PII[lang])
            n_extra = rng.choices([0, 1, 2], weights=[55, 35, 10])[0]
            templates = [self.sentence(lang, 0.3) for _ in range(n_extra)]
            templates.insert(rng.randint(0, n_extra), t)
        else:
            n = rng.choices([1, 2, 3], weights=[55, 35, 10])[0]
            templates = [self.sentence(lang, 0.25) for _ in range(n)]
        parts = []

        def last_char():
            for piece, _ in reversed(parts):
                if piece:
                    return piece[-1]
            return ""

        for k, t in enumerate(templates):
            sentence_start = k == 0
            if k:
                ended = last_char() in "?!."
                sep = rng.choice([" ", "\n"]) if ended else rng.choice([". ", ", ", " ", "\n", ". ", "! "])
                parts.append((sep, None))
                sentence_start = ended or sep[0] in ".!\n"
            if t[:1].isalpha():
                if sentence_start and rng.random() < 0.6:
                    t = t[0].upper() + t[1:]
                elif not sentence_start and t[0].isupper() and t[1:2].islower():
                    t = t[0].lower() + t[1:]
            self.render(t, lang, parts)
        if rng.random() < 0.25:
            tail = [" 🙏", " gracias" if lang == "es" else " thanks"]
            if last_char() not in "?!.":
                tail += [".", "!", "?", "..."]
            parts.append((rng.choice(tail), None))
        text, spans, nbytes = "", [], 0
        for piece, entity in parts:
            b = len(piece.encode("utf-8"))
            if entity:
                spans.append({"entity": entity, "start": nbytes, "end": nbytes + b})
            text += piece
            nbytes += b
        return {"lang": lang, "text": text, "spans": spans}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, help="generate until the text reaches this many MiB")
    ap.add_argument("--lines", type=int, help="generate exactly this many messages")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--pii-rate", type=float, default=0.15, help="share of messages with PII (default 0.15)")
    ap.add_argument("--out", help="JSONL to write (default: stdout)")
    ap.add_argument("--check", metavar="JSONL", help="exit 1 if JSONL differs from what these arguments give")
    args = ap.parse_args()
    if (args.size_mb is None) == (args.lines is None):
        ap.error("give exactly one of --size-mb and --lines")

    g = Generator(args.seed, args.pii_rate)
    limit_bytes = int(args.size_mb * 1024 * 1024) if args.size_mb is not None else None
    out, text_bytes, n, with_pii = [], 0, 0, 0
    counts = dict.fromkeys(("card", "iban", "ssn", "email", "phone"), 0)
    while (limit_bytes is not None and text_bytes < limit_bytes) or (args.lines is not None and n < args.lines):
        m = g.message()
        out.append(json.dumps(m, ensure_ascii=False) + "\n")
        text_bytes += len(m["text"].encode("utf-8"))
        n += 1
        with_pii += bool(m["spans"])
        for s in m["spans"]:
            counts[s["entity"]] += 1
    data = "".join(out)
    oracle = (f"{g.phones_checked} phone numbers checked by python3-phonenumbers" if g.oracle
              else "python3-phonenumbers not installed: phone numbers unchecked")
    summary = (f"{n} messages, {text_bytes} bytes of text, {with_pii} with PII ({100.0 * with_pii / max(n, 1):.1f}%); "
               + ", ".join(f"{e} {c}" for e, c in counts.items()) + f"; {oracle}")
    if args.check:
        with open(args.check, encoding="utf-8") as f:
            if f.read() != data:
                print(f"{args.check} differs from the generator's output; regenerate it with "
                      f"tests/masking/tools/generate.py --lines {args.lines} --out {args.check}", file=sys.stderr)
                return 1
        print(f"{args.check}: up to date ({summary})")
        return 0
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(data)
        print(f"{args.out}: {summary}", file=sys.stderr)
    else:
        sys.stdout.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
