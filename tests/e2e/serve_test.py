"""`parley serve` end to end: health, readiness, metrics, limits, signals, plugins."""
import json
import os
import signal
import socket
import time
import unittest

from harness import ALL_PLUGINS, Server, TEST_PLUGIN_DIR, read_until_closed, run


class ServeTest(unittest.TestCase):
    def test_health_ready_and_metrics(self):
        with Server(ALL_PLUGINS) as s:
            status, body, _ = s.get("/healthz")
            self.assertEqual((status, body), (200, "ok\n"))
            status, body, _ = s.get("/readyz")
            self.assertEqual(status, 200)
            ready = json.loads(body)
            self.assertTrue(ready["ready"])
            states = {p["id"]: p["state"] for p in ready["plugins"]}
            self.assertEqual(states, {"whatsapp": "running", "masking": "running",
                                      "transfer": "running", "wrapup": "running"})
            status, body, headers = s.get("/metrics")
            self.assertEqual(status, 200)
            self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"))
            self.assertIn("# TYPE parley_http_requests_total counter", body)
            self.assertRegex(body, r'parley_http_requests_total\{code="200"\} [1-9]')
            self.assertEqual(s.get("/no/such/page")[0], 404)
            self.assertEqual(s.stop(), 0)

    def test_sigint_and_sigterm_stop_cleanly(self):
        for sig in (signal.SIGINT, signal.SIGTERM):
            with Server("") as s:
                idle = s.connect()  # an open keep-alive connection must not hold the shutdown
                self.assertEqual(s.get("/healthz")[0], 200)
                self.assertEqual(s.stop(sig), 0)
                self.assertIn("stopping", s.stderr())
                idle.close()

    def test_port_in_use_is_a_clear_error(self):
        with Server("") as s:
            busy = os.path.join(s.folder, "busy.toml")
            with open(busy, "w") as f:
                f.write(f"[server]\nport = {s.port}\n")
            r = run("serve", "--config", busy, timeout=20)
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn(f"cannot listen on 127.0.0.1:{s.port}: the address is already in use", r.stderr)
            self.assertEqual(s.get("/healthz")[0], 200)

    def test_slow_client_is_disconnected_after_the_read_timeout(self):
        with Server("[server]\nread_timeout_ms = 300\n") as s:
            c = s.connect()
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finishes the headers
            data, waited = read_until_closed(c, limit=10)
            c.close()
            self.assertLess(waited, 10)
            self.assertNotIn(b"200 OK", data)
            self.assertEqual(s.get("/healthz")[0], 200)

    def test_header_and_body_limits(self):
        with Server("[server]\nheader_limit = 2048\nbody_limit = 1000\n") as s:
            status, _, _ = s.get("/healthz", headers={"X-Big": "a" * 4000})
            self.assertEqual(status, 431)
            status, _, _ = s.get("/healthz", data=b"x" * 5000, method="POST")
            self.assertEqual(status, 413)
            self.assertEqual(s.get("/healthz")[0], 200)

    def test_connection_cap(self):
        with Server("[server]\nmax_connections = 2\n") as s:
            held = [s.connect(), s.connect()]
            time.sleep(0.2)
            extra = s.connect()
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            data, _ = read_until_closed(extra)
            extra.close()
            self.assertIn(b"503", data.split(b"\r\n")[0])
            for c in held:
                c.close()
            time.sleep(0.2)
            self.assertEqual(s.get("/healthz")[0], 200)

    def test_json_log_lines_carry_their_tag(self):
        with Server(ALL_PLUGINS, args=["--log-format", "json"]) as s:
            s.stop()
            lines = [json.loads(l) for l in s.stderr().splitlines() if l.strip()]
            self.assertTrue(lines)
            tags = {l["tag"] for l in lines}
            self.assertTrue({"core", "whatsapp", "masking", "transfer", "wrapup"} <= tags, tags)
            for l in lines:
                self.assertEqual(set(l), {"ts", "level", "tag", "msg"})

    @unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
    def test_broken_plugins_are_refused_and_the_server_goes_on(self):
        config = f"""
            [server]
            plugin_path = ["{TEST_PLUGIN_DIR}"]
            [plugins.echo]
            greeting = "still here"
            [plugins.bad_magic]
            [plugins.abi_major]
            [plugins.create_fails]
            """
        with Server(config) as s:
            status, body, _ = s.get("/readyz")
            self.assertEqual(status, 200)
            plugins = {p["id"]: p for p in json.loads(body)["plugins"]}
            self.assertEqual(plugins["echo"]["state"], "running")
            self.assertEqual(plugins["bad_magic"]["refusal"], "bad_magic")
            self.assertEqual(plugins["abi_major"]["refusal"], "abi_major_mismatch")
            self.assertEqual(plugins["create_fails"]["refusal"], "create_failed")
            self.assertIn("unreachable", plugins["create_fails"]["reason"])
            self.assertEqual(s.get("/test/echo?x=1")[:2], (200, "still here x=1"))
            self.assertIn("bad_magic", s.stderr())
            self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
