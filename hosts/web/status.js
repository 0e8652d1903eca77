// Shows /readyz: whether the server is ready and the state of each plugin.
const body = document.querySelector("#plugins tbody");
const badge = document.querySelector("#ready");

function row(plugin) {
  const tr = document.createElement("tr");
  for (const [text, cls] of [[plugin.id], [plugin.state, plugin.state], [plugin.reason || ""]]) {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
  }
  return tr;
}

async function refresh() {
  try {
    const answer = await fetch("/readyz");
    const status = await answer.json();
    badge.textContent = status.ready ? "ready" : "starting";
    body.replaceChildren(...status.plugins.map(row));
  } catch {
    badge.textContent = "unreachable";
  }
}

refresh();
setInterval(refresh, 5000);
