"""The `parley` command: check, plugins, help, version and exit codes."""
import json
import os
import tempfile
import unittest

from harness import TEST_PLUGIN_DIR, run, write_config


class CliTest(unittest.TestCase):
    def test_demo_runs_a_whole_conversation(self):
        r = run("demo", timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        steps = [line.split("] ", 1)[1] for line in r.stdout.splitlines()]
        expected_in_order = [
            "offer to Ana: Maria Lopez (+447700900123) on +15550000001, queue 'Card support'",
            "Ana did not accept within 1 s: Ana is now in RONA",
            "offer to Ben: Maria Lopez (+447700900123) on +15550000001, queue 'Card support'",
            "Ben accepts; the conversation opens",
            'Ben replies: "Hello Maria, I can see the double charge. I am refunding it now."',
            "the channel reports the reply delivered",
            'Maria (+447700900123) writes to +15550000001: "Thank you, that was quick!"',
            "Ben ends the conversation; Ben's capacity is free again",
            "== done: offer, RONA, re-offer, accept, messages both ways, end",
        ]
        positions = [steps.index(step) for step in expected_in_order]
        self.assertEqual(positions, sorted(positions))

    def test_version_and_help(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^parley \d+\.\d+\.\d+")
        r = run("--help")
        self.assertEqual(r.returncode, 0)
        for word in ("serve", "check", "plugins", "Exit codes"):
            self.assertIn(word, r.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run("frobnicate").returncode, 2)
        self.assertEqual(run("serve", "--config", "/no/such/file.toml").returncode, 2)

    def test_check_accepts_the_example_config(self):
        example = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "parley.toml")
        r = run("check", "--config", example)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("ok", r.stdout)

    def test_check_lists_every_error_with_file_line_col(self):
        path = write_config("""\
            [server]
            prot = 8080
            threads = "two"

            [plugins.masking]
            enabeld = true

            [plugins.nosuch]
            """)
        r = run("check", "--config", path)
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.splitlines()
        self.assertIn(f"{path}:2:1: unknown key 'prot' in [server]; did you mean 'port'?", lines)
        self.assertTrue(any(l.startswith(f"{path}:3:") and "threads" in l for l in lines), lines)
        self.assertTrue(any(l.startswith(f"{path}:6:") and "enabeld" in l for l in lines), lines)
        self.assertTrue(any(l.startswith(f"{path}:8:") and "unknown plugin 'nosuch'" in l for l in lines), lines)
        self.assertIn("4 errors", r.stderr)

    def test_toml_syntax_error_points_at_line_and_column(self):
        path = write_config('[server]\nport = 80\nlisten = "127.0.0.1\n')
        for cmd in ("check", "serve"):
            r = run(cmd, "--config", path)
            self.assertEqual(r.returncode, 1, cmd)
            self.assertRegex(r.stderr, rf"{path}:3:\d+: ")

    def test_plugins_lists_id_version_abi_kind_path_and_status(self):
        r = run("plugins")
        self.assertEqual(r.returncode, 0, r.stderr)
        header, *rows = r.stdout.splitlines()
        self.assertEqual(header.split(), ["ID", "VERSION", "ABI", "KIND", "STATUS", "PATH"])
        ids = {row.split()[0]: row.split() for row in rows}
        self.assertEqual(set(ids), {"masking", "transfer", "whatsapp", "wrapup"})
        self.assertEqual(ids["whatsapp"][1:5], ["0.1.0", "1.2", "channel", "ok"])
        self.assertTrue(ids["whatsapp"][5].endswith("libparley-whatsapp.so"))

    @unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
    def test_plugins_shows_refusal_reasons(self):
        r = run("plugins", "--plugin-path", TEST_PLUGIN_DIR, "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        plugins = {p["id"]: p for p in json.loads(r.stdout)}
        self.assertEqual(plugins["echo"]["state"], "running")
        self.assertEqual(plugins["newer_minor"]["refusal"], "abi_minor_newer")
        self.assertIn("newer than this Parley", plugins["newer_minor"]["reason"])
        self.assertEqual(plugins["no_entry"]["refusal"], "no_entry_symbol")
        self.assertEqual(plugins["cycle_a"]["refusal"], "dependency_cycle")
        self.assertEqual(plugins["mismatch"]["refusal"], "manifest_mismatch")

    @unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
    def test_check_reports_a_named_plugin_that_cannot_load(self):
        path = write_config(f"""\
            [server]
            plugin_path = ["{TEST_PLUGIN_DIR}"]
            [plugins.abi_major]
            """)
        r = run("check", "--config", path)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{path}:3:1:", r.stderr)
        self.assertIn("built for plugin ABI 2.x", r.stderr)

    def test_passwd_hashes_a_piped_password(self):
        r = run("passwd", input="correct horse battery\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), 1, r.stdout)
        self.assertTrue(lines[0].startswith("$argon2id$"), lines[0])
        self.assertNotIn("correct horse", r.stdout + r.stderr)
        # Salted: the same password hashes differently each time.
        self.assertNotEqual(run("passwd", input="correct horse battery\n").stdout, r.stdout)
        self.assertIn("passwd", run("--help").stdout)

    def test_passwd_output_is_a_valid_password_hash(self):
        hashed = run("passwd", input="s3cret").stdout.strip()
        path = write_config(f"""\
            [tenants.acme.queues.support]
            [tenants.acme.agents.ana]
            password_hash = "{hashed}"
            queues = ["support"]
            """)
        r = run("check", "--config", path)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_passwd_refuses_an_empty_password(self):
        for given in ("", "\n", "\r\n"):
            r = run("passwd", input=given)
            self.assertEqual(r.returncode, 1, repr(given))
            self.assertEqual(r.stdout, "")
            self.assertIn("empty password", r.stderr)

    def test_check_reports_tenant_cross_references(self):
        path = write_config("""\
            [tenants.acme.queues.support]
            [tenants.acme.entry_points.wa_main]
            channel = "whatsapp"
            number = "+15550001111"
            queue = "suport"
            [tenants.beta.queues.q]
            [tenants.beta.entry_points.wa]
            channel = "whatsapp"
            number = "+15550001111"
            queue = "q"
            """)
        r = run("check", "--config", path)
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.splitlines()
        self.assertIn(f"{path}:5:9: tenants.acme.entry_points.wa_main.queue: no queue 'suport' in tenant 'acme'; "
                      "did you mean 'support'?", lines)
        self.assertTrue(any(l.startswith(f"{path}:9:10: tenants.beta.entry_points.wa.number: '+15550001111' "
                                         "is already used by tenants.acme.entry_points.wa_main") for l in lines),
                        lines)


if __name__ == "__main__":
    unittest.main(verbosity=2)
