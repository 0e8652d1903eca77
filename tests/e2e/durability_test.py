"""Nothing is lost across a crash, and a hot reload changes only what a valid file says."""
import signal
import time
import unittest

from agents import config, customer_writes, login, outbound
from harness import Server, TEST_PLUGIN_DIR, run


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class CrashTest(unittest.TestCase):
    def test_sigkill_mid_conversation_loses_nothing_and_timers_still_fire(self):
        text = config(offer_timeout_s=2)
        first = Server(text)
        folder = first.folder
        with first:
            ana = login(first, "acme", "ana")
            ben = login(first, "acme", "ben")
            ana.command("set_state", state="available")
            customer_writes(first, "hi, I lost my card")
            iid = ana.event("offer")["data"]["offer"]["interaction"]
            ana.command("accept", interaction=iid)
            ana.command("send", interaction=iid, text="I can block it for you")
            customer_writes(first, "yes please")
            ana.command("set_state", state="idle", reason="Break")
            ben.command("set_state", state="available")
            customer_writes(first, "hello?", number="+447700900999", name="Tom Hale")
            pending = ben.event("offer")["data"]["offer"]["interaction"]
            status, _ = customer_writes(first, "are you there?")  # 200 means committed
            self.assertEqual(status, 200)
            first.proc.send_signal(signal.SIGKILL)
            first.proc.wait(timeout=10)

        with Server(text, folder=folder) as second:
            ana = login(second, "acme", "ana")
            snap = ana.snapshot["data"]
            self.assertEqual(snap["presence"], {**snap["presence"], "state": "idle", "reason": "Break"})
            conversation = snap["interactions"][0]["conversation"]
            self.assertEqual([m["text"] for m in conversation["messages"]],
                             ["hi, I lost my card", "I can block it for you", "yes please", "are you there?"])
            self.assertTrue(ana.command("send", interaction=iid, text="done")["ok"])
            self.assertEqual([o["text"] for o in outbound(second)], ["done"])

            ben = login(second, "acme", "ben")
            self.assertEqual([o["interaction"] for o in ben.snapshot["data"]["offers"]], [pending])
            # The offer timer survived the crash: Ben goes to RONA when it fires.
            self.assertEqual(ben.event("offer_withdrawn")["data"]["interaction"], pending)
            self.assertEqual(ben.event("presence", lambda e: e["data"]["state"] == "rona")["data"]["state"], "rona")


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class ReloadTest(unittest.TestCase):
    def start_conversation(self, server):
        ana = login(server, "acme", "ana")
        ana.command("set_state", state="available")
        customer_writes(server, "hello")
        iid = ana.event("offer")["data"]["offer"]["interaction"]
        self.assertTrue(ana.command("accept", interaction=iid)["ok"])
        return ana, iid

    def test_deleting_the_entry_point_interrupts_its_conversations(self):
        with Server(config()) as server:
            ana, iid = self.start_conversation(server)
            server.rewrite_config(config(with_entry_point=False))
            r = run("reload", "--config", server.config, "--url", server.url)
            self.assertEqual(r.returncode, 0, r.stderr)
            alert = ana.event("alert")["data"]
            self.assertIn("entry point 'test_line' was deleted", alert["panel"]["alert"])
            self.assertFalse(alert["conversation"]["composer"]["enabled"])
            refused = ana.command("send", interaction=iid, text="still there?")
            self.assertEqual(refused["error"]["code"], "interrupted")
            self.assertEqual(outbound(server), [])
            self.assertTrue(ana.command("end", interaction=iid)["ok"])
            status, answer = customer_writes(server, "hello again")
            self.assertEqual((status, answer["code"]), (422, "unknown_entry_point"))

    def test_a_bad_file_keeps_the_running_config(self):
        with Server(config()) as server:
            good = open(server.config).read()
            with open(server.config, "w") as f:
                f.write(good.replace('name = "Card support"', 'name = "Card support'))
            r = run("reload", "--config", server.config, "--url", server.url)
            self.assertEqual(r.returncode, 1)
            self.assertRegex(r.stderr, rf"{server.config}:\d+:\d+: ")
            server.proc.send_signal(signal.SIGHUP)  # the same file through SIGHUP
            time.sleep(0.3)
            self.assertIn("reload refused", server.stderr())
            ana, iid = self.start_conversation(server)  # routing still works as before
            self.assertTrue(ana.command("send", interaction=iid, text="hi")["ok"])

    def test_sighup_applies_a_valid_file(self):
        with Server(config()) as server:
            ana = login(server, "acme", "ana")
            self.assertEqual(ana.command("set_state", state="idle", reason="Training")["error"]["code"],
                             "invalid_reason")
            server.rewrite_config(config().replace('["Break", "Lunch"]', '["Break", "Lunch", "Training"]'))
            server.proc.send_signal(signal.SIGHUP)
            deadline = time.time() + 5
            while "configuration reloaded" not in server.stderr() and time.time() < deadline:
                time.sleep(0.05)
            self.assertTrue(ana.command("set_state", state="idle", reason="Training")["ok"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
