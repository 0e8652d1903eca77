"""A two-tenant contact center for the agent API tests, with the test channel."""
import json
import urllib.request

from harness import Server, TEST_PLUGIN_DIR, run
from wsclient import WebSocket

_hashes = {}


def password_hash(password):
    if password not in _hashes:
        r = run("passwd", input=password + "\n")
        assert r.returncode == 0, r.stderr
        _hashes[password] = r.stdout.strip()
    return _hashes[password]


def config(offer_timeout_s=30, with_entry_point=True, extra=""):
    entry = f"""
[tenants.acme.entry_points.test_line]
channel = "test"
number = "+15550001111"
queue = "support"
cad = {{ campaign = "spring" }}
""" if with_entry_point else ""
    return f"""
[server]
plugin_path = ["{TEST_PLUGIN_DIR}"]

[plugins.test_channel]
{extra}
[tenants.acme]
name = "Acme Bank"
offer_timeout_s = {offer_timeout_s}
idle_reasons = ["Break", "Lunch"]

[tenants.acme.queues.support]
name = "Card support"
{entry}
[tenants.acme.agents.ana]
name = "Ana Ruiz"
password_hash = "{password_hash('ana-secret')}"
queues = ["support"]
capacity = {{ test = 2 }}

[tenants.acme.agents.ben]
name = "Ben Okafor"
password_hash = "{password_hash('ben-secret')}"
queues = ["support"]
capacity = {{ test = 1 }}

[tenants.globex]
name = "Globex"

[tenants.globex.queues.sales]
name = "Sales"

[tenants.globex.entry_points.line]
channel = "test"
number = "+15550002222"
queue = "sales"

[tenants.globex.agents.zoe]
name = "Zoe Park"
password_hash = "{password_hash('zoe-secret')}"
queues = ["sales"]
capacity = {{ test = 1 }}
"""


def login(server, tenant, agent, password=None):
    ws = WebSocket(server.host, server.port)
    answer = ws.command("login", tenant=tenant, agent=agent, password=password or f"{agent}-secret")
    assert answer["ok"], answer
    ws.snapshot = ws.event("snapshot")
    return ws


def customer_writes(server, text, number="+447700900123", name="Maria Lopez", origin="+15550001111", mid=None):
    body = {"origin": origin, "customer_number": number, "customer_name": name, "text": text}
    if mid:
        body["channel_message_id"] = mid
    req = urllib.request.Request(server.url + "/test-channel/inbound", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def outbound(server):
    status, body, _ = server.get("/test-channel/outbound")
    assert status == 200
    return json.loads(body)
