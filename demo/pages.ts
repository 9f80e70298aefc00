import { html } from "hono/html";
import type { AlertLogEntry } from "../worker/db/alerts";
import { DEMO_USERS } from "./constants";

/**
 * The demo hosting control panel. Its Support section lists the signed-in user's tickets
 * straight from the API; the <edgedesk-tickets> widget takes this place once it exists.
 */
export function panelPage(): string {
  const options = DEMO_USERS.map((u) => `<option value="${u.key}">${u.label}</option>`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Northwind Hosting — Control Panel</title>
<style>
  :root { --ink: #1d2433; --muted: #5b6577; --line: #e3e7ef; --brand: #1f6feb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f7fb; display: grid; grid-template-columns: 232px 1fr; min-height: 100vh; }
  aside { background: #101828; color: #cfd6e4; padding: 20px 0; }
  aside .logo { color: #fff; font-weight: 700; font-size: 18px; padding: 0 22px 18px; }
  aside a { display: block; padding: 9px 22px; color: inherit; text-decoration: none; }
  aside a[aria-current] { background: #1d2939; color: #fff; border-left: 3px solid var(--brand); padding-left: 19px; }
  header { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 14px 28px; background: #fff; border-bottom: 1px solid var(--line); }
  main { padding: 24px 28px; }
  h1 { font-size: 22px; margin: 0 0 4px; } .muted { color: var(--muted); }
  select { font: inherit; padding: 6px 8px; border-radius: 6px; border: 1px solid #c5ccd9; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; margin-top: 18px; }
  table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 9px 8px; border-bottom: 1px solid var(--line); }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
  .badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #eef2f8; }
  .open { background: #ddf4ff; color: #0550ae; } .answered { background: #dafbe1; color: #116329; } .in_progress { background: #fff8c5; color: #7d4e00; }
  .on_hold { background: #fbefff; color: #6e40c9; } .closed { background: #eaeef2; color: #57606a; }
</style>
</head>
<body>
<aside>
  <div class="logo">Northwind Hosting</div>
  <nav aria-label="Control panel">
    <a href="#">Dashboard</a><a href="#">Websites</a><a href="#">Domains &amp; DNS</a><a href="#">Email</a>
    <a href="#">Databases</a><a href="#">Backups</a><a href="#" aria-current="page">Support</a>
  </nav>
</aside>
<div>
  <header>
    <div><strong>Support</strong> <span class="muted">· tickets, history and replies</span></div>
    <label>Signed in as <select id="user">${options}</select></label>
  </header>
  <main>
    <h1>Your support tickets</h1>
    <p class="muted">Served by the Edgedesk Worker on local D1. API reference: <a href="/api/v1/docs">/api/v1/docs</a> · <a href="/demo/alerts">on-call alert log</a>.</p>
    <div class="card">
      <table>
        <thead><tr><th>Number</th><th>Subject</th><th>Status</th><th>Priority</th><th>Department</th><th>Last activity</th></tr></thead>
        <tbody id="rows"><tr><td colspan="6">Loading…</td></tr></tbody>
      </table>
    </div>
  </main>
</div>
<script type="module">
  const users = ${JSON.stringify(Object.fromEntries(DEMO_USERS.map((u) => [u.key, u.tenant])))};
  const select = document.getElementById("user");
  const rows = document.getElementById("rows");
  const cell = (text, className) => { const td = document.createElement("td"); const span = document.createElement("span"); span.textContent = text; if (className) span.className = className; td.append(span); return td; };
  async function show(user) {
    const token = await (await fetch("/demo/token/" + user)).text();
    const res = await fetch("/api/v1/" + users[user] + "/tickets?limit=50", { headers: { authorization: "Bearer " + token } });
    const body = await res.json();
    rows.textContent = "";
    if (!res.ok) { const tr = document.createElement("tr"); tr.append(cell(body.detail || "Could not load tickets")); rows.append(tr); return; }
    for (const t of body.tickets) {
      const tr = document.createElement("tr");
      tr.append(cell("#" + t.number), cell(t.subject), cell(t.status.replace("_", " "), "badge " + t.status), cell(t.priority), cell(t.department), cell(new Date(t.lastActivityAt).toLocaleString()));
      rows.append(tr);
    }
    if (!body.tickets.length) { const tr = document.createElement("tr"); tr.append(cell("No tickets yet.")); rows.append(tr); }
  }
  select.addEventListener("change", () => show(select.value));
  show(select.value);
</script>
</body>
</html>`;
}

interface AlertLogView {
  id: string;
  alerts: AlertLogEntry[];
}

/** The on-call alert log: what was paged, to whom, how each try went. Rendered with escaping. */
export function alertLogPage(tenants: AlertLogView[]) {
  const when = (ms: number | null) => (ms === null ? "—" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC");
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>On-call alert log — Edgedesk demo</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1d2433; background: #f5f7fb; }
  .card { background: #fff; border: 1px solid #e3e7ef; border-radius: 10px; padding: 16px 20px; margin: 16px 0; }
  table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid #e3e7ef; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6577; }
  .state { font-weight: 600; } .delivered { color: #116329; } .pending { color: #9a6700; } .acknowledged { color: #0550ae; } .exhausted { color: #cf222e; }
  .tries { margin: 0; padding-left: 18px; color: #5b6577; font-size: 13px; }
  button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #c5ccd9; background: #fff; min-height: 36px; cursor: pointer; }
</style></head>
<body>
<h1>On-call alert log</h1>
<p>High and urgent tickets filed, raised or replied to outside support hours page the on-call team: first a signed webhook
(the demo's stand-in SMS gateway at <code>/demo/pager</code>), then the next contact if nobody acknowledges within the window.
<a href="/demo/">Back to the control panel</a>.</p>
<form method="post" action="/demo/cron"><button type="submit">Run the cron jobs now</button></form>
${tenants.map(
  (t) => html`<section class="card"><h2>${t.id}</h2>
  ${t.alerts.length === 0
    ? html`<p>No alerts yet.</p>`
    : html`<table><thead><tr><th>Ticket</th><th>Trigger</th><th>Priority</th><th>State</th><th>Raised</th><th>Delivery tries</th></tr></thead><tbody>
      ${t.alerts.map(
        (a) => html`<tr><td>#${a.ticketNumber} ${a.ticketSubject}</td><td>${a.trigger.replace("_", " ")}</td><td>${a.priority}</td>
          <td class="state ${a.state}">${a.state}${a.acknowledgedBy ? html`<br><small>by ${a.acknowledgedBy}</small>` : ""}</td><td>${when(a.createdAt)}</td>
          <td><ol class="tries">${a.attemptsLog.map(
            (x) => html`<li>${when(x.createdAt)} · contact ${x.contactIndex + 1} (${x.channel}) · ${x.ok ? "accepted" : `failed: ${x.error ?? ""}`}</li>`,
          )}</ol></td></tr>`,
      )}</tbody></table>`}
  </section>`,
)}
</body></html>`;
}
