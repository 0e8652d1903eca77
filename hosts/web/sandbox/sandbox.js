// The customer's phone of the WhatsApp sandbox: sends as the customer through the
// Cloud API stand-in (which signs a webhook to Parley) and polls the conversation.
const $ = (id) => document.getElementById(id);
const API = "/sandbox/api/customer";
const STORE = "parley.sandbox.customer";
const POLL_MS = 1000;

const me = load();
let shown = "";

function randomNumber() {
  // +44 7700 900xxx: UK numbers set aside for drama, never a real person's.
  return "+447700900" + String(Math.floor(Math.random() * 1000)).padStart(3, "0");
}

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE));
    if (saved && saved.name && saved.number) return saved;
  } catch { /* a fresh customer below */ }
  return { name: "Maria", number: randomNumber() };
}

function save() {
  me.name = $("name").value.trim();
  me.number = $("number").value.trim();
  localStorage.setItem(STORE, JSON.stringify(me));
  shown = "";
}

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error || `${r.status} ${r.statusText}`);
  return data;
}

function say(text) {
  $("status").textContent = text;
}

async function send(message) {
  if (!$("who").reportValidity()) return;
  try {
    await post(`${API}/send`, { from: me.number, name: me.name, ...message });
    say("");
    await refresh();
  } catch (e) {
    say(e.message);
  }
}

function ticks(m) {
  if (m.from === "customer") return { held: "⏳", read: "✓✓" }[m.status] || "✓";
  return m.status === "failed" ? `not delivered: ${m.error}` : "";
}

function bubble(m) {
  const li = document.createElement("li");
  li.className = `bubble ${m.from}${m.status === "failed" ? " failed" : ""}`;
  li.textContent = m.text;
  const meta = document.createElement("span");
  meta.className = `meta${m.status === "read" && m.from === "customer" ? " read" : ""}`;
  const time = new Date(m.time_ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  meta.textContent = `${time} ${ticks(m)}`.trim();
  li.append(meta);
  return li;
}

function render(messages) {
  const key = JSON.stringify(messages.map((m) => [m.id, m.status]));
  if (key === shown) return;
  shown = key;
  const list = $("messages");
  list.replaceChildren(...messages.map(bubble));
  list.scrollTop = list.scrollHeight;
}

async function refresh() {
  if (!me.number) return;
  const seen = document.visibilityState === "visible" ? "&seen=1" : "";
  const r = await fetch(`${API}/messages?from=${encodeURIComponent(me.number)}${seen}`);
  if (r.status === 404) return say("The sandbox is off: this server has WhatsApp credentials configured.");
  if (!r.ok) return;
  const data = await r.json();
  $("business").textContent = data.business.number;
  render(data.messages);
}

async function poll() {
  try {
    await refresh();
  } catch {
    say("Parley does not answer; is parley serve running?");
  }
  setTimeout(poll, POLL_MS);
}

function describe(faults) {
  const armed = Object.entries(faults)
    .filter(([, v]) => v && v !== 0)
    .map(([k, v]) => (typeof v === "object" ? `${k} ${v.code} ×${v.count}` : v === true ? k : `${k} ${v}`));
  return armed.length ? `Armed: ${armed.join(", ")}` : "Nothing armed.";
}

async function control(button) {
  try {
    const data = await post("/sandbox/control", JSON.parse(button.dataset.control));
    $("faults").textContent = describe(data.faults);
  } catch (e) {
    $("faults").textContent = e.message;
  }
}

$("name").value = me.name;
$("number").value = me.number;
$("who").addEventListener("change", save);
$("another").addEventListener("click", () => {
  $("number").value = randomNumber();
  save();
  refresh();
});
$("compose").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  send({ type: "text", text });
});
for (const b of document.querySelectorAll("[data-send]")) b.addEventListener("click", () => send({ type: b.dataset.send }));
for (const b of document.querySelectorAll("[data-control]")) b.addEventListener("click", () => control(b));
poll();
