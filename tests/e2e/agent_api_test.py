"""The agent API over a real `parley serve`: login, snapshot, offers, commands, refusals."""
import json
import os
import time
import unittest

from agents import config, customer_writes, login, outbound
from harness import Server, TEST_PLUGIN_DIR, run
from wsclient import Closed, WebSocket


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class AgentApiTest(unittest.TestCase):
    def setUp(self):
        self.server = Server(config())
        self.addCleanup(self.server.__exit__)

    def offered(self, ws):
        return ws.event("offer")["data"]

    def test_login_refusals(self):
        ws = WebSocket(self.server.host, self.server.port)
        self.assertEqual(ws.command("set_state", state="available")["error"]["code"], "not_logged_in")
        wrong = ws.command("login", tenant="acme", agent="ana", password="nope")
        self.assertEqual(wrong["error"]["code"], "bad_credentials")
        nobody = ws.command("login", tenant="acme", agent="zed", password="x")
        self.assertEqual(nobody["error"]["code"], "bad_credentials")
        other_tenant = ws.command("login", tenant="globex", agent="ana", password="ana-secret")
        self.assertEqual(other_tenant["error"]["code"], "bad_credentials")
        ok = ws.command("login", tenant="acme", agent="ana", password="ana-secret")
        self.assertTrue(ok["ok"])
        self.assertEqual(ok["result"]["name"], "Ana Ruiz")
        self.assertIn("accept", ok["result"]["capabilities"])
        self.assertIn("set_state", ok["result"]["capabilities"])
        snapshot = ws.event("snapshot")
        self.assertEqual(snapshot["data"]["presence"]["state"], "offline")
        self.assertEqual(snapshot["data"]["idle_reasons"], ["Break", "Lunch"])
        ws.close()

    def test_a_whole_conversation(self):
        ana = login(self.server, "acme", "ana")
        self.assertEqual(ana.command("set_state", state="available")["result"]["state"], "available")
        self.assertEqual(ana.event("presence")["data"]["state"], "available")
        status, answer = customer_writes(self.server, "Hi, my card was charged twice")
        self.assertEqual(status, 200, answer)
        offer = self.offered(ana)
        self.assertEqual(offer["offer"]["customer_name"], "Maria Lopez")
        self.assertEqual(offer["offer"]["customer_number"], "+447700900123")
        self.assertEqual(offer["offer"]["origin"], "+15550001111")
        self.assertEqual(offer["offer"]["queue_name"], "Card support")
        self.assertGreater(offer["offer"]["offered_at"], 0)
        self.assertEqual(offer["notification"]["business_number"], "+15550001111")
        self.assertEqual(offer["task"]["preview"], "Hi, my card was charged twice")
        iid = offer["offer"]["interaction"]

        accepted = ana.command("accept", interaction=iid)
        self.assertTrue(accepted["ok"], accepted)
        opened = ana.event("interaction")["data"]
        self.assertEqual(opened["panel"]["cad"]["campaign"], "spring")
        self.assertEqual(opened["conversation"]["messages"][0]["initials"], "ML")
        self.assertTrue(opened["conversation"]["composer"]["enabled"])

        sent = ana.command("send", interaction=iid, text="Hello Maria, let me check.", client_id="c1")
        self.assertTrue(sent["ok"], sent)
        mid = sent["result"]["message"]
        # Views show the latest state: pending first, then the channel's reports up to delivered.
        statuses = []
        while "delivered" not in statuses:
            m = ana.event("message", lambda e: e["data"]["message"]["id"] == mid)["data"]["message"]
            self.assertEqual(m["signature"], "Ana Ruiz")
            statuses.append(m["status"])
        self.assertEqual(statuses[0], "pending")
        again = ana.command("send", interaction=iid, text="Hello Maria, let me check.", client_id="c1")
        self.assertEqual(again["result"]["message"], mid)  # a repeated command sends once
        self.assertEqual([o["text"] for o in outbound(self.server)], ["Hello Maria, let me check."])
        self.assertEqual(outbound(self.server)[0]["to"], "+447700900123")

        customer_writes(self.server, "Thanks!")
        inbound = ana.event("message", lambda e: e["data"]["message"]["text"] == "Thanks!")["data"]["message"]
        self.assertEqual(inbound["direction"], "in")
        self.assertEqual(inbound["signature"], "Maria Lopez")

        self.assertTrue(ana.command("end", interaction=iid)["ok"])
        self.assertEqual(ana.event("task_removed")["data"]["interaction"], iid)
        self.assertEqual(ana.command("snapshot")["result"]["tasks"], [])
        ana.close()

    def test_message_length_limit(self):
        ana = login(self.server, "acme", "ana")
        ana.command("set_state", state="available")
        customer_writes(self.server, "hello")
        iid = self.offered(ana)["offer"]["interaction"]
        ana.command("accept", interaction=iid)
        too_long = ana.command("send", interaction=iid, text="é" * 4097)
        self.assertFalse(too_long["ok"])
        self.assertEqual(too_long["error"]["code"], "too_long")
        self.assertIn("4096", too_long["error"]["message"])
        self.assertEqual(outbound(self.server), [])
        self.assertTrue(ana.command("send", interaction=iid, text="é" * 4096)["ok"])
        self.assertEqual(len(outbound(self.server)), 1)

    def test_agents_act_only_on_their_own_interactions(self):
        ana = login(self.server, "acme", "ana")
        ben = login(self.server, "acme", "ben")
        zoe = login(self.server, "globex", "zoe")
        ana.command("set_state", state="available")
        customer_writes(self.server, "hello")
        iid = self.offered(ana)["offer"]["interaction"]
        for cmd, args in (("accept", {}), ("send", {"text": "hi"}), ("end", {})):
            self.assertEqual(ben.command(cmd, interaction=iid, **args)["error"]["code"], "not_your_interaction")
            self.assertEqual(zoe.command(cmd, interaction=iid, **args)["error"]["code"], "unknown_interaction")
        # Zoe's snapshot and events never mention acme's conversation.
        self.assertEqual(zoe.command("snapshot")["result"]["tasks"], [])
        self.assertFalse(any("Maria" in json.dumps(e) for e in zoe.events))

    def test_bad_frames(self):
        ana = login(self.server, "acme", "ana")
        ana.send_text("this is not json")
        self.assertEqual(ana.recv()["error"]["code"], "malformed_frame")
        ana.send_text(json.dumps({"id": 5, "args": {}}))
        self.assertEqual(ana.recv()["error"]["code"], "malformed_frame")
        self.assertEqual(ana.command("fly_to_the_moon")["error"]["code"], "unknown_command")
        self.assertEqual(ana.command("set_state", state="rona")["error"]["code"], "invalid_state")
        self.assertEqual(ana.command("set_state", state="idle", reason="Nap")["error"]["code"], "invalid_reason")
        self.assertTrue(ana.command("set_state", state="idle", reason="Lunch")["ok"])
        ana.send_text("x" * (65 * 1024))
        with self.assertRaises(Closed) as closed:
            while True:
                ana.recv()
        self.assertEqual(closed.exception.code, 1009)
        # The server goes on.
        self.assertEqual(self.server.get("/healthz")[0], 200)

    def test_reconnect_finds_the_same_state(self):
        ana = login(self.server, "acme", "ana")
        ana.command("set_state", state="available")
        customer_writes(self.server, "first message")
        iid = self.offered(ana)["offer"]["interaction"]
        ana.command("accept", interaction=iid)
        ana.command("send", interaction=iid, text="reply")
        ana.sock.close()  # dropped, no close frame
        again = login(self.server, "acme", "ana")
        snap = again.snapshot["data"]
        self.assertEqual(snap["presence"]["state"], "available")
        self.assertEqual([t["interaction"] for t in snap["tasks"]], [iid])
        texts = [m["text"] for m in snap["interactions"][0]["conversation"]["messages"]]
        self.assertEqual(texts, ["first message", "reply"])
        self.assertGreaterEqual(again.snapshot["seq"], 1)

    def test_unknown_business_number_is_refused(self):
        status, answer = customer_writes(self.server, "hello", origin="+19999999999")
        self.assertEqual(status, 422)
        self.assertEqual(answer["code"], "unknown_entry_point")


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class RonaTest(unittest.TestCase):
    def test_unanswered_offer_puts_the_agent_in_rona_and_goes_to_the_next(self):
        with Server(config(offer_timeout_s=1)) as server:
            ana = login(server, "acme", "ana")
            ben = login(server, "acme", "ben")
            ana.command("set_state", state="available")
            time.sleep(0.05)
            ben.command("set_state", state="available")
            customer_writes(server, "anyone there?")
            iid = ana.event("offer")["data"]["offer"]["interaction"]
            withdrawn = ana.event("offer_withdrawn")["data"]
            self.assertEqual(withdrawn, {"interaction": iid, "reason": "timeout"})
            self.assertEqual(ana.event("presence", lambda e: e["data"]["state"] != "available")["data"]["state"], "rona")
            self.assertEqual(ben.event("offer")["data"]["offer"]["interaction"], iid)
            self.assertTrue(ben.command("accept", interaction=iid)["ok"])
            # Only the agent leaves RONA.
            self.assertEqual(ana.command("snapshot")["result"]["presence"]["state"], "rona")
            self.assertTrue(ana.command("set_state", state="available")["ok"])


@unittest.skipUnless(TEST_PLUGIN_DIR, "test plugins not built")
class CapabilitiesTest(unittest.TestCase):
    def test_capabilities_list_the_commands_plugins_add(self):
        with Server(config() + f'\n[plugins.echo]\n') as server:
            ws = WebSocket(server.host, server.port)
            caps = ws.command("login", tenant="acme", agent="ana", password="ana-secret")["result"]["capabilities"]
            self.assertIn("echo", caps)
            answer = ws.command("echo", hello="world")
            self.assertEqual(answer["result"]["hello"], "world")
            self.assertEqual(answer["result"]["actor"], {"tenant": "acme", "agent": "ana"})
        with Server(config()) as server:
            ws = WebSocket(server.host, server.port)
            caps = ws.command("login", tenant="acme", agent="ana", password="ana-secret")["result"]["capabilities"]
            self.assertNotIn("echo", caps)


if __name__ == "__main__":
    unittest.main(verbosity=2)
