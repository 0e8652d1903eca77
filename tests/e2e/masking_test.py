"""Masking end to end: seeded cards, IBANs, SSNs, e-mails and phone numbers never reach
an agent of a masking tenant, nor a log file; a tenant without masking sees the text."""
import json
import os
import re
import select
import subprocess
import unittest

from agents import config, customer_writes, login
from harness import PARLEY, Server, TEST_PLUGIN_DIR, run, write_config

SEEDED = {
    "card": "4111 1111 1111 1111",
    "card_dashes": "5500-0000-0000-0004",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "iban_compact": "DE89370400440532013000",
    "ssn": "536-22-8726",
    "email": "melissa@gmail.com",
    "phone": "+ 1 (415) 555 2671",
    "phone_compact": "+447966197542",
    "phone_arabic_digits": "٠٥٠١٢٣٤٥٦٧",  # 050 123 4567 as an Arabic-speaking customer types it
}
CUSTOMER_NAME_PHONE = "+34 612 345 678"


def forms(value):
    """The value as written, and its digits or letters (of any script) run together."""
    out = {value}
    if "@" not in value:
        out.add(re.sub(r"[\W_]", "", value))
    return out


def masking_config(extra=""):
    return config().replace("[server]\n", '[server]\nlog_file = "parley.log"\n', 1) + """
[plugins.masking]
[tenants.acme.plugins.masking]
enabled = true
[tenants.globex.plugins.masking]
enabled = false
""" + extra


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class MaskingTest(unittest.TestCase):
    def converse(self, server, tenant, agent, origin, number, name):
        ws = login(server, tenant, agent)
        ws.command("set_state", state="available")
        texts = [f"my card is {SEEDED['card']} and my other one {SEEDED['card_dashes']}",
                 f"IBAN {SEEDED['iban']} o {SEEDED['iban_compact']}",
                 f"SSN {SEEDED['ssn']}, mail {SEEDED['email']}, call {SEEDED['phone']} or {SEEDED['phone_compact']}",
                 f"رقمي {SEEDED['phone_arabic_digits']} شكرا"]
        status, _ = customer_writes(server, texts[0], number=number, name=name, origin=origin)
        self.assertEqual(status, 200)
        iid = ws.event("offer")["data"]["offer"]["interaction"]
        self.assertTrue(ws.command("accept", interaction=iid)["ok"])
        ws.event("interaction")
        for t in texts[1:]:
            self.assertEqual(customer_writes(server, t, number=number, name=name, origin=origin)[0], 200)
        ws.command("send", interaction=iid, text="Thanks, checking now")
        ws.command("snapshot")  # its answer comes after every event of the messages above
        ws.close()
        return "\n".join(ws.raw)

    def test_nothing_seeded_reaches_a_masking_tenant_or_the_logs(self):
        with Server(masking_config()) as server:
            acme = self.converse(server, "acme", "ana", "+15550001111", "+34612345678", CUSTOMER_NAME_PHONE)
            globex = self.converse(server, "globex", "zoe", "+15550002222", "+447700900555", "Zed Customer")
            server.stop()
            logs = server.stderr()
            with open(os.path.join(server.folder, "parley.log")) as f:
                log_file = f.read()

        for what, value in SEEDED.items():
            for form in forms(value):
                self.assertNotIn(form, acme, f"{what} reached an acme agent as {form!r}")
                self.assertNotIn(form, logs, f"{what} reached stderr as {form!r}")
                self.assertNotIn(form, log_file, f"{what} reached the log file as {form!r}")
        for form in forms(CUSTOMER_NAME_PHONE) | {"+34612345678"}:
            self.assertNotIn(form, acme, "the customer's number (and name that is a number) is masked")
        # The help page's forms.
        self.assertIn("**********2671", acme)
        self.assertIn("*********7542", acme)
        self.assertIn("m******@gmail.com", acme)
        self.assertIn("************1111", acme)
        self.assertIn("******4567", acme)
        # The log did get the lines, masked.
        self.assertIn("inbound", log_file)
        # Masking is off for globex: its agent sees the text as written.
        for value in SEEDED.values():
            self.assertIn(value, globex)

    def test_a_tenant_that_asks_for_masking_fails_closed_when_the_plugin_cannot_run(self):
        broken = masking_config().replace("[plugins.masking]\n", '[plugins.masking]\nmask_char = "##"\n', 1)
        path = write_config(broken.replace("[server]\n", '[server]\nport = 0\n', 1) + '[store]\npath = "x.db"\n')
        r = run("serve", "--config", path, timeout=30)
        self.assertEqual(r.returncode, 4, r.stderr)
        self.assertIn("tenant 'acme' turns on 'masking', but plugin 'masking' is not running", r.stderr)
        self.assertIn("mask_char must be one character", r.stderr)


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class MaskCommandTest(unittest.TestCase):
    def test_mask_stdin_line_by_line(self):
        r = run("mask", input="card 4111 1111 1111 1111\nmail melissa@gmail.com\ncall +447966197542\nnothing here\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["card ************1111", "mail m******@gmail.com",
                                                 "call *********7542", "nothing here"])

    def test_json_spans_are_byte_offsets(self):
        line = "é 4111 1111 1111 1111"
        r = run("mask", "--json", input=line + "\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = json.loads(r.stdout)
        self.assertEqual(out["masked"], "é ************1111")
        (span,) = out["spans"]
        self.assertEqual(span["entity"], "card")
        raw = line.encode()
        self.assertEqual(raw[span["start"]:span["end"]].decode(), "4111 1111 1111 1111")

    def test_entities_and_tenant_policy(self):
        r = run("mask", "--entities", "email", input="melissa@gmail.com 4111 1111 1111 1111\n")
        self.assertEqual(r.stdout.strip(), "m******@gmail.com 4111 1111 1111 1111")
        self.assertEqual(run("mask", "--entities", "nonsense", input="x\n").returncode, 2)
        folder = self.folder()
        path = os.path.join(folder, "p.toml")
        with open(path, "w") as f:
            f.write('[plugins.masking]\n[tenants.acme]\n[tenants.acme.plugins.masking]\n'
                    'enabled = true\nentities = ["phone"]\nmask_char = "#"\n')
        r = run("mask", "--config", path, "--tenant", "acme", input="+447966197542 melissa@gmail.com\n")
        self.assertEqual(r.stdout.strip(), "#########7542 melissa@gmail.com")
        r = run("mask", "--config", path, "--tenant", "globex", input="+447966197542\n")  # defaults: off
        self.assertEqual(r.stdout.strip(), "+447966197542")

    def test_a_line_is_answered_as_soon_as_it_arrives(self):
        # `tail -f chat.log | parley mask`: each line comes back before stdin ends.
        with subprocess.Popen([PARLEY, "mask"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) as p:
            try:
                for line, want in [("card 4111 1111 1111 1111", "card ************1111"), ("nothing", "nothing")]:
                    p.stdin.write((line + "\n").encode())
                    p.stdin.flush()
                    ready, _, _ = select.select([p.stdout], [], [], 10)
                    self.assertTrue(ready, f"no answer to {line!r} while stdin is open")
                    self.assertEqual(p.stdout.readline().decode(), want + "\n")
                p.stdin.close()
                self.assertEqual(p.wait(timeout=10), 0)
            finally:
                p.kill()

    def test_long_lines_and_a_last_line_without_newline(self):
        # Lines longer than one read (64 KiB), many lines per read, and no final newline.
        long_line = ("word " * 30000) + "4111 1111 1111 1111"
        lines = [long_line, "mail melissa@gmail.com"] * 3 + ["x " * 10 + "+447966197542"] * 5000
        r = run("mask", input="\n".join(lines))
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.split("\n")
        self.assertEqual(out[-1], "")  # every line printed with its newline
        out = out[:-1]
        self.assertEqual(len(out), len(lines))
        self.assertEqual(out[0], ("word " * 30000) + "************1111")
        self.assertEqual(out[1], "mail m******@gmail.com")
        self.assertEqual(set(out[6:]), {"x " * 10 + "*********7542"})

    def folder(self):
        import tempfile
        return tempfile.mkdtemp(prefix="parley-e2e-")


if __name__ == "__main__":
    unittest.main(verbosity=2)
