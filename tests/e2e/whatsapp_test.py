"""The WhatsApp channel through the real `parley serve`: signed webhooks in, an agent
on /agent/ws, sends to a Graph API fake written here (http.server on 127.0.0.1),
statuses, retries, repeats arriving at once, the 24-hour window, and reload."""
import hashlib
import hmac
import json
import os
import shutil
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from agents import login, password_hash
from harness import Server

SECRET = "test_app_secret"
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "test-access-token"
NUMBER_ID = "106540352242922"
BUSINESS = "+15550783881"
CUSTOMER = "+16505551234"
REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "reference", "whatsapp")
HAVE_REFERENCE = os.path.isdir(REFERENCE)
JPEG = b"\xff\xd8\xff\xe0 a small jpeg"


def reference(name):
    with open(os.path.join(REFERENCE, name), "rb") as f:
        return f.read()


def sign(body, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notification(messages=(), statuses=(), number_id=NUMBER_ID, name="Sheena Nelson"):
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": BUSINESS[1:], "phone_number_id": number_id},
             "contacts": [{"profile": {"name": name}, "wa_id": CUSTOMER[1:]}]}
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}]}).encode()


def text_message(wamid, text, ts=None):
    return {"from": CUSTOMER[1:], "id": wamid, "timestamp": str(int(ts or time.time())), "type": "text",
            "text": {"body": text}}


class FakeGraph:
    """The Graph API endpoints the channel calls; answers to message POSTs are scripted."""

    def __init__(self):
        self.requests = []
        self.answers = deque()
        self.lock = threading.Lock()
        self.count = 0
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                graph.record(self, b"")
                if self.path == "/v21.0/1003383421387256":
                    self.reply(200, json.dumps({"url": graph.url + "/bin/1003383421387256", "mime_type": "image/jpeg",
                                                "id": "1003383421387256"}).encode())
                elif self.path == "/bin/1003383421387256":
                    self.reply(200, JPEG, "image/jpeg")
                else:
                    self.reply(404, b'{"error":{"code":100,"message":"no such thing"}}')

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                graph.record(self, body)
                status, answer = graph.next_answer(json.loads(body))
                self.reply(status, json.dumps(answer).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def record(self, handler, body):
        with self.lock:
            self.requests.append({"method": handler.command, "path": handler.path,
                                  "authorization": handler.headers.get("Authorization"),
                                  "json": json.loads(body) if body else None})

    def next_answer(self, body):
        with self.lock:
            if body.get("status") == "read":
                return 200, {"success": True}
            if self.answers:
                return self.answers.popleft()
            self.count += 1
            return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                         "messages": [{"id": f"wamid.E2E{self.count}"}]}

    def sends(self):
        with self.lock:
            return [r for r in self.requests if r["method"] == "POST" and r["json"].get("type")]

    def reads(self):
        with self.lock:
            return [r for r in self.requests if r["method"] == "POST" and r["json"].get("status") == "read"]

    def wait(self, what, n, limit=10):
        deadline = time.time() + limit
        while time.time() < deadline:
            found = what()
            if len(found) >= n:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {n}, got {what()}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def config(graph_url, media_dir, with_entry_point=True, numbers=(f"{NUMBER_ID}={BUSINESS}",)):
    entry = f"""
[tenants.acme.entry_points.wa]
channel = "whatsapp"
number = "{BUSINESS}"
queue = "support"
""" if with_entry_point else ""
    return f"""
[server]

[plugins.whatsapp]
graph_base_url = "{graph_url}"
phone_numbers = {json.dumps(list(numbers))}
templates = ["hello_world:en_US"]
retry_base_ms = 20
recipient_min_interval_ms = 0
body_limit = 65536
media_dir = "{media_dir}"

[tenants.acme]
name = "Acme"

[tenants.acme.queues.support]
name = "Support"
{entry}
[tenants.acme.agents.ana]
name = "Ana Ruiz"
password_hash = "{password_hash('ana-secret')}"
queues = ["support"]
capacity = {{ whatsapp = 5 }}
"""


def setUpModule():
    os.environ.update(WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
                      WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN)


def tearDownModule():
    for key in ("WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN"):
        os.environ.pop(key, None)


class WhatsAppTest(unittest.TestCase):
    def setUp(self):
        self.graph = FakeGraph()
        self.addCleanup(self.graph.close)
        self.media_dir = tempfile.mkdtemp(prefix="parley-wa-media-")
        self.addCleanup(shutil.rmtree, self.media_dir, True)
        self.server = Server(config(self.graph.url, self.media_dir))
        self.addCleanup(self.server.__exit__)

    def webhook(self, body, signature=None, headers=None):
        h = {"Content-Type": "application/json", "X-Hub-Signature-256": signature or sign(body), **(headers or {})}
        if signature == "":
            del h["X-Hub-Signature-256"]
        return self.server.get("/webhooks/whatsapp", headers=h, data=body, method="POST")

    def stats(self):
        return json.loads(self.server.get("/webhooks/whatsapp/stats")[1])

    def agent(self):
        ana = login(self.server, "acme", "ana")
        self.addCleanup(ana.close)
        self.assertTrue(ana.command("set_state", state="available")["ok"])
        return ana

    def open_conversation(self, ana, body):
        status, text, _ = self.webhook(body)
        self.assertEqual(status, 200, text)
        offer = ana.event("offer")["data"]["offer"]
        self.assertTrue(ana.command("accept", interaction=offer["interaction"])["ok"])
        return offer

    def message_event(self, ana, predicate):
        return ana.event("message", lambda e: predicate(e["data"]["message"]))["data"]["message"]

    def test_handshake_and_refused_posts(self):
        ok = self.server.get(f"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=1158201444")
        self.assertEqual(ok[:2], (200, "1158201444"))
        self.assertEqual(self.server.get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")[0], 403)
        body = notification([text_message("wamid.H", "hello")])
        self.assertEqual(self.webhook(body, signature="")[0], 401)
        self.assertEqual(self.webhook(body, signature=sign(body, "wrong secret"))[0], 401)
        self.assertEqual(self.webhook(body + b" ", signature=sign(body))[0], 401)
        self.assertEqual(self.webhook(b'{"entry": [')[0], 400)
        self.assertEqual(self.webhook(b" " * 70000)[0], 413)
        stats = self.stats()
        self.assertEqual((stats["webhooks_bad_signature"], stats["webhooks_malformed"], stats["webhooks_too_large"]), (3, 1, 1))

    @unittest.skipUnless(HAVE_REFERENCE, f"no reference payloads at {REFERENCE}")
    def test_every_reference_payload_and_a_whole_conversation(self):
        ana = self.agent()
        offer = self.open_conversation(ana, reference("01_inbound_text_message.json"))
        self.assertEqual((offer["customer_name"], offer["customer_number"], offer["origin"]),
                         ("Sheena Nelson", CUSTOMER, BUSINESS))
        iid = offer["interaction"]
        # Opening the conversation marks the customer's message read: the reference request.
        read = self.graph.wait(self.graph.reads, 1)[0]
        self.assertEqual(read["json"], json.loads(reference("14_mark_read_request.json")))
        self.assertEqual(read["path"], f"/v21.0/{NUMBER_ID}/messages")
        # The reference message is months old: the customer writes again, which opens the
        # 24-hour window; with the conversation open, it is marked read at once.
        self.assertEqual(self.webhook(notification([text_message("wamid.NOW", "Hello?")]))[0], 200)
        self.message_event(ana, lambda m: m["text"] == "Hello?")
        self.assertEqual(self.graph.wait(self.graph.reads, 2)[1]["json"]["message_id"], "wamid.NOW")

        sent = ana.command("send", interaction=iid, text="Yes, it also comes in blue and green.", client_id="c-1")
        self.assertTrue(sent["ok"], sent)
        mid = sent["result"]["message"]
        request = self.graph.wait(self.graph.sends, 1)[0]
        self.assertEqual(request["json"], json.loads(reference("10_send_text_request.json")))
        self.assertEqual(request["authorization"], f"Bearer {ACCESS_TOKEN}")
        self.assertEqual(self.message_event(ana, lambda m: m["id"] == mid and m["status"] == "sent")["status"], "sent")
        # The agent's client repeats the command: nothing is sent again.
        self.assertEqual(ana.command("send", interaction=iid, text="Yes, it also comes in blue and green.",
                                     client_id="c-1")["result"]["message"], mid)

        # Statuses move it forward only.
        for status in ("delivered", "read", "delivered"):
            body = notification(statuses=[{"id": "wamid.E2E1", "status": status, "timestamp": str(int(time.time())),
                                           "recipient_id": CUSTOMER[1:]}])
            self.assertEqual(self.webhook(body)[0], 200)
        self.message_event(ana, lambda m: m["id"] == mid and m["status"] == "read")
        snapshot = ana.command("snapshot")["result"]
        messages = snapshot["interactions"][0]["conversation"]["messages"]
        self.assertEqual([m["status"] for m in messages if m["id"] == mid], ["read"])

        # The other reference notifications: an image (fetched in two steps), a button reply, a status.
        self.assertEqual(self.webhook(reference("04_inbound_image_message.json"))[0], 200)
        image = self.message_event(ana, lambda m: m["kind"] == "image")
        self.assertEqual(image["text"], "This is the damaged one")
        with urllib.request.urlopen(self.server.url + image["attachment"]["url"], timeout=10) as r:
            self.assertEqual((r.status, r.headers["Content-Type"], r.read()), (200, "image/jpeg", JPEG))
        # The agent got a signed link: the file's path alone, or with another file's
        # signature, is refused.
        path, query = image["attachment"]["url"].split("?", 1)
        self.assertTrue(path.startswith("/media/whatsapp/") and query.startswith("link="), query)
        other = path[:-5] + ("1" if path[-5] == "0" else "0") + ".jpg"
        for bare in (path, other + "?" + query):
            with self.assertRaises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(self.server.url + bare, timeout=10)
            self.assertEqual(refused.exception.code, 403, bare)
        media = [r for r in self.graph.requests if r["method"] == "GET"]
        self.assertEqual([r["path"] for r in media], ["/v21.0/1003383421387256", "/bin/1003383421387256"])
        self.assertTrue(all(r["authorization"] == f"Bearer {ACCESS_TOKEN}" for r in media))
        self.assertEqual(self.webhook(reference("05_inbound_interactive_button_reply.json"))[0], 200)
        reply = self.message_event(ana, lambda m: m["kind"] == "reply")
        self.assertEqual(reply["text"], "Talk to an agent")
        self.assertEqual(self.webhook(reference("02_status_delivered.json"))[0], 200)
        self.assertEqual(self.stats()["messages_received"], 4)

    def test_a_reply_quotes_the_customer_message_it_answers(self):
        ana = self.agent()
        iid = self.open_conversation(ana, notification([text_message("wamid.Q1", "Is it in stock?")]))["interaction"]
        messages = ana.command("snapshot")["result"]["interactions"][0]["conversation"]["messages"]
        quoted = [m["id"] for m in messages if m["text"] == "Is it in stock?"][0]
        sent = ana.command("send", interaction=iid, text="Yes, since Monday.", reply_to=quoted)
        self.assertTrue(sent["ok"], sent)
        request = self.graph.wait(self.graph.sends, 1)[0]
        self.assertEqual(request["json"]["context"], {"message_id": "wamid.Q1"})
        self.assertEqual(request["json"]["text"], {"preview_url": False, "body": "Yes, since Monday."})
        reply = self.message_event(ana, lambda m: m["id"] == sent["result"]["message"])
        self.assertEqual(reply["reply_to"], quoted)
        # A message that is not in the conversation: refused, nothing sent.
        refused = ana.command("send", interaction=iid, text="?", reply_to="m-999")
        self.assertEqual(refused["error"]["code"], "unknown_message")
        time.sleep(0.2)
        self.assertEqual(len(self.graph.sends()), 1)

    def test_retries_on_500_and_130429_none_on_131026(self):
        ana = self.agent()
        iid = self.open_conversation(ana, notification([text_message("wamid.R1", "hello")]))["interaction"]
        error = lambda code: {"error": {"message": "x", "type": "OAuthException", "code": code, "fbtrace_id": "t"}}
        self.graph.answers.extend([(500, error(131000)), (500, error(131000))])
        first = ana.command("send", interaction=iid, text="one")["result"]["message"]
        self.message_event(ana, lambda m: m["id"] == first and m["status"] == "sent")
        self.assertEqual(len(self.graph.sends()), 3)

        self.graph.answers.append((400, error(130429)))
        second = ana.command("send", interaction=iid, text="two")["result"]["message"]
        self.message_event(ana, lambda m: m["id"] == second and m["status"] == "sent")
        self.assertEqual(len(self.graph.sends()), 5)

        self.graph.answers.append((400, error(131026)))
        third = ana.command("send", interaction=iid, text="three")["result"]["message"]
        failed = self.message_event(ana, lambda m: m["id"] == third and m["status"] == "failed")
        self.assertIn("131026", failed["error"])
        time.sleep(0.3)  # a retry would have come by now
        self.assertEqual(len(self.graph.sends()), 6)

    def test_a_repeat_sent_at_the_same_moment_on_two_connections_makes_one_message(self):
        ana = self.agent()
        body = notification([text_message("wamid.TWICE", "only once please")])
        results = []
        gate = threading.Barrier(2)

        def deliver():
            gate.wait()
            results.append(self.webhook(body)[0])

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [200, 200])
        iid = ana.event("offer")["data"]["offer"]["interaction"]
        ana.command("accept", interaction=iid)
        messages = ana.event("interaction")["data"]["conversation"]["messages"]
        self.assertEqual([m["text"] for m in messages], ["only once please"])
        self.assertEqual(self.stats()["duplicates_dropped"], 1)

    def test_outside_the_24_hour_window_only_templates(self):
        ana = self.agent()
        long_ago = time.time() - 25 * 3600
        iid = self.open_conversation(ana, notification([text_message("wamid.OLD", "hello?", long_ago)]))["interaction"]
        refused = ana.command("send", interaction=iid, text="Sorry for the wait")
        self.assertFalse(refused["ok"])
        self.assertEqual(refused["error"]["code"], "outside_window")
        self.assertIn("24 hours", refused["error"]["message"])
        templates = ana.command("whatsapp.templates")["result"]["templates"]
        self.assertEqual(templates, [{"name": "hello_world", "language": "en_US"}])
        sent = ana.command("send", interaction=iid, template="hello_world", language="en_US")
        self.assertTrue(sent["ok"], sent)
        request = self.graph.wait(self.graph.sends, 1)[0]["json"]
        self.assertEqual(request["type"], "template")
        self.assertEqual(request["template"]["name"], "hello_world")
        self.assertEqual(request["template"]["language"]["code"], "en_US")
        self.assertEqual(request["to"], CUSTOMER[1:])

    def test_unknown_numbers_are_answered_and_counted(self):
        body = notification([text_message("wamid.U", "wrong number")], number_id="999999999999999")
        self.assertEqual(self.webhook(body)[0], 200)
        self.assertEqual(self.stats()["unknown_number"], 1)
        metrics = self.server.get("/metrics")[1]
        self.assertIn('parley_whatsapp_unknown_number_total{plugin="whatsapp"} 1', metrics)
        self.assertNotIn("wrong number", self.server.stderr())

    def test_deleting_the_entry_point_by_reload_interrupts(self):
        ana = self.agent()
        iid = self.open_conversation(ana, notification([text_message("wamid.D1", "still there?")]))["interaction"]
        self.server.rewrite_config(config(self.graph.url, self.media_dir, with_entry_point=False))
        self.assertEqual(self.server.get("/admin/reload", data=b"", method="POST")[0], 200)
        alert = ana.event("alert")["data"]
        self.assertIn("entry point 'wa' was deleted", alert["panel"]["alert"])
        self.assertEqual(ana.command("send", interaction=iid, text="hello")["error"]["code"], "interrupted")

    def test_removing_the_number_by_reload_interrupts(self):
        ana = self.agent()
        iid = self.open_conversation(ana, notification([text_message("wamid.N1", "hello")]))["interaction"]
        self.server.rewrite_config(config(self.graph.url, self.media_dir, numbers=()))
        self.assertEqual(self.server.get("/admin/reload", data=b"", method="POST")[0], 200)
        ana.sock.settimeout(3)
        alert = ana.event("alert")["data"]
        self.assertIn("was removed", alert["panel"]["alert"])
        self.assertEqual(ana.command("send", interaction=iid, text="hello")["error"]["code"], "interrupted")


if __name__ == "__main__":
    unittest.main(verbosity=2)
