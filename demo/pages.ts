import { html, raw } from "hono/html";
import type { AlertLogEntry } from "../worker/db/alert-log";
import type { PageNeeds, sendPage } from "../worker/middleware/page-headers";
import { DEMO_STAFF, type DemoTenant } from "./constants";

/** Who the panel's "Signed in as" picker offers: customers get the customer panel, staff the admin panel. */
const PANEL_USERS: { key: string; tenant: DemoTenant; panel: string; label: string; staff: boolean }[] = [
  {
    key: "alice",
    tenant: "demo",
    panel: "Northwind Hosting",
    label: "Alice — customer of Northwind Hosting (provider)",
    staff: false,
  },
  {
    key: "carol",
    tenant: "demo-reseller",
    panel: "Bluebird Web",
    label: "Carol — customer of Bluebird Web (reseller)",
    staff: false,
  },
  { key: "guest", tenant: "demo", panel: "Northwind Hosting", label: "A guest (not signed in)", staff: false },
  ...DEMO_STAFF.map((u) => ({
    key: u.key,
    tenant: u.tenant,
    panel: u.tenant === "demo" ? "Northwind Hosting" : "Bluebird Web",
    label: u.label,
    staff: true,
  })),
];

/** The demo user a staff-only page starts with when none is asked for. */
export const FIRST_STAFF = "bob";

/** True for a demo user who works in the admin panel (an agent or an admin). */
export function isStaffUser(key: string | undefined): boolean {
  return PANEL_USERS.some((u) => u.key === key && u.staff);
}

/**
 * The demo hosting control panels. The customer panel has <edgedesk-tickets> in its Support
 * section; the admin panel has <edgedesk-console> in its Support desk section. Both are embedded
 * the way a provider would: one script tag, one element, a token provider calling the panel's
 * backend. `hostile` adds a deliberately aggressive host stylesheet to show isolation.
 */
const PANEL_STYLE = `
  :root { --ink: #1d2433; --muted: #5b6577; --line: #e3e7ef; --brand: #1f6feb; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f7fb; display: grid; grid-template-columns: 232px 1fr; min-height: 100vh; }
  aside { background: #101828; color: #cfd6e4; padding: 20px 0; }
  aside .logo { color: #fff; font-weight: 700; font-size: 18px; padding: 0 22px 18px; }
  aside .logo small { display: block; font-weight: 600; font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #98a2b3; }
  aside a { display: block; padding: 9px 22px; color: inherit; text-decoration: none; }
  aside a[aria-current] { background: #1d2939; color: #fff; border-left: 3px solid var(--brand); padding-left: 19px; }
  header.top { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 14px 28px; background: #fff; border-bottom: 1px solid var(--line); }
  main { padding: 24px 28px; max-width: 980px; }
  h1 { font-size: 22px; margin: 0 0 4px; } .muted { color: var(--muted); }
  select { font: inherit; padding: 6px 8px; border-radius: 6px; border: 1px solid #c5ccd9; }
  edgedesk-tickets, edgedesk-console { margin-top: 16px; border: 1px solid var(--line); }
  body.reseller { --brand: #c2410c; } body.reseller aside { background: #2b1608; }
  body.admin aside { background: #0b1220; } body.admin.reseller aside { background: #24120a; }
  body.admin main { max-width: 1400px; }
  body > div { min-width: 0; }
  /* A phone: the side menu becomes a wrapped row above the page. */
  @media (max-width: 720px) {
    body { grid-template-columns: 1fr; }
    aside { padding: 10px 0 4px; }
    aside .logo { padding: 0 16px 8px; }
    aside nav { display: flex; flex-wrap: wrap; }
    aside a { padding: 6px 16px; }
    aside a[aria-current] { border-left: 0; padding-left: 16px; box-shadow: inset 0 -3px var(--brand); }
    header.top { flex-wrap: wrap; padding: 12px 16px; }
    header.top label { display: flex; align-items: center; gap: 6px; width: 100%; }
    header.top select { flex: 1; min-width: 0; }
    main { padding: 16px; }
  }
  /* hostile */
`;

const panelScript = (page: "customer" | "admin") => `
  const users = ${JSON.stringify(Object.fromEntries(PANEL_USERS.map((u) => [u.key, { tenant: u.tenant, panel: u.panel, staff: u.staff }])))};
  const page = ${JSON.stringify(page)};
  const params = new URLSearchParams(location.search);
  const select = document.getElementById("user");
  const chosen = params.get("user");
  if (chosen && users[chosen]) select.value = chosen;
  // Staff work in the admin panel, customers in the customer panel: choosing one goes to their panel.
  function go(user) {
    const url = new URL(users[user].staff ? "/demo/admin" : "/demo/", location.href);
    url.searchParams.set("user", user);
    if (params.get("lang")) url.searchParams.set("lang", params.get("lang"));
    location.assign(url);
  }
  function mount(user) {
    if (users[user].staff !== (page === "admin")) return go(user);
    const { tenant, panel } = users[user];
    document.getElementById("panel-name").textContent = panel;
    document.body.classList.toggle("reseller", tenant === "demo-reseller");
    const el = document.createElement(page === "admin" ? "edgedesk-console" : "edgedesk-tickets");
    el.setAttribute("api", location.origin);
    el.setAttribute("tenant", tenant);
    const lang = params.get("lang");
    if (lang) el.setAttribute("lang", lang);
    // What a real panel does: its backend signs a short-lived token for the signed-in user.
    if (user !== "guest") el.tokenProvider = async () => (await fetch("/demo/token/" + user)).text();
    document.getElementById("support").replaceChildren(el);
  }
  select.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("user", select.value);
    // Another person: the place the last one was at (a ticket of theirs) is not this one's.
    url.hash = "";
    history.replaceState(null, "", url);
    mount(select.value);
  });
  mount(select.value);
`;

/** A demo page and what its Content-Security-Policy must allow (worker/middleware/page-headers.ts). */
export interface DemoPage {
  html: Parameters<typeof sendPage>[1];
  needs: PageNeeds;
}

const PANEL_TEXT = {
  customer: {
    title: "Support — Control Panel",
    script: "/widget/edgedesk.js",
    badge: "",
    nav: ["Dashboard", "Websites", "Domains &amp; DNS", "Email", "Databases", "Backups"],
    current: "Support",
    header: '<strong>Support</strong> <span class="muted">· tickets, history and replies</span>',
    h1: "Help &amp; support",
    intro: "The support desk below is the Edgedesk widget, served by the Worker on local D1.",
  },
  admin: {
    title: "Support desk — Admin Panel",
    script: "/widget/edgedesk-console.js",
    badge: "<small>Admin panel</small>",
    nav: ["Dashboard", "Customers", "Orders", "Invoices", "Servers", "Domains"],
    current: "Support desk",
    header: '<strong>Support desk</strong> <span class="muted">· the team\'s queue, tickets and settings</span>',
    h1: "Support desk",
    intro: "The agent console below is <code>&lt;edgedesk-console&gt;</code>, served by the Worker on local D1.",
  },
} as const;

export function panelPage(options: { hostile?: boolean; admin?: boolean } = {}): DemoPage {
  const kind = options.admin ? "admin" : "customer";
  const text = PANEL_TEXT[kind];
  const option = (u: (typeof PANEL_USERS)[number]) => `<option value="${u.key}">${u.label}</option>`;
  const options_ = `<optgroup label="Customers (customer panel)">${PANEL_USERS.filter((u) => !u.staff)
    .map(option)
    .join("")}</optgroup><optgroup label="Staff (admin panel)">${PANEL_USERS.filter((u) => u.staff)
    .map(option)
    .join("")}</optgroup>`;
  const hostileCss = `
  /* A host page that styles everything it can reach. None of it may leak into the widget. */
  * { font-family: "Comic Sans MS", cursive !important; letter-spacing: .08em; }
  button { background: magenta !important; color: yellow !important; border: 4px dotted lime !important; }
  input, textarea, select { background: black !important; color: red !important; }
  h2, p, li, label { color: orange !important; text-transform: uppercase; }
  .badge, .ticket, .message { display: none !important; }`;
  const style = PANEL_STYLE.replace("/* hostile */", options.hostile ? hostileCss : "");
  const script = panelScript(kind);
  const nav = text.nav.map((n) => `<a href="#">${n}</a>`).join("");
  const links = options.admin
    ? `<a href="/demo/">Customer panel</a> · <a href="/demo/alerts">On-call alert log</a> · <a href="/demo/outbox">Outbox (mail sent)</a> · <a href="/api/v1/docs">API</a>`
    : `<a href="/demo/alerts">On-call alert log</a> · <a href="/demo/outbox">Outbox (mail sent)</a> · <a href="/demo/${options.hostile ? "" : "hostile"}">${options.hostile ? "Normal page" : "Hostile host stylesheet"}</a> · <a href="/api/v1/docs">API</a>`;
  const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title}</title>
<script type="module" src="${text.script}"></script>
<style>${style}</style>
</head>
<body${options.admin ? ' class="admin"' : ""}>
<aside>
  <div class="logo"><span id="panel-name">Northwind Hosting</span>${text.badge}</div>
  <nav aria-label="${options.admin ? "Admin panel" : "Control panel"}">
    ${nav}<a href="#" aria-current="page">${text.current}</a>
  </nav>
</aside>
<div>
  <header class="top">
    <div>${text.header}</div>
    <label>Signed in as <select id="user">${options_}</select></label>
  </header>
  <main>
    <h1>${text.h1}</h1>
    <p class="muted">${text.intro}
      ${links}</p>
    <div id="support"></div>
  </main>
</div>
<script type="module">${script}</script>
</body>
</html>`;
  return {
    html: page,
    needs: {
      inlineScripts: [script],
      inlineStyles: [style],
      // The widget: its modules and API from this origin, thumbnails and upload previews, and the
      // few style="…" attributes of its templates.
      sameOriginScripts: true,
      sameOriginFetch: true,
      images: true,
      styleAttributes: true,
    },
  };
}

interface AlertLogView {
  id: string;
  alerts: AlertLogEntry[];
}

/** The on-call alert log: what was paged, to whom, how each try went. Rendered with escaping. */
const ALERT_LOG_STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1d2433; background: #f5f7fb; }
  .card { background: #fff; border: 1px solid #e3e7ef; border-radius: 10px; padding: 16px 20px; margin: 16px 0; }
  table { width: 100%; border-collapse: collapse; } th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid #e3e7ef; vertical-align: top; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6577; }
  .state { font-weight: 600; } .delivered { color: #116329; } .pending { color: #9a6700; } .acknowledged { color: #0550ae; } .exhausted { color: #cf222e; } .suppressed, .closed_by_customer { color: #5b6577; }
  .tries { margin: 0; padding-left: 18px; color: #5b6577; font-size: 13px; }
  button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #c5ccd9; background: #fff; min-height: 36px; cursor: pointer; }
`;

/** Why the policy paged nobody, in the log's words. */
const SUPPRESSED_BECAUSE: Record<NonNullable<AlertLogView["alerts"][number]["suppressedReason"]>, string> = {
  guest: "filed by a guest: answered when support opens",
  no_service: "not about one of the customer's services",
  open_alert: "an alert for this ticket is still open",
  cooldown: "paged about this ticket less than the cooldown ago",
};

export function alertLogPage(tenants: AlertLogView[]): DemoPage {
  const when = (ms: number | null) =>
    ms === null ? "—" : `${new Date(ms).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>On-call alert log — Edgedesk demo</title>
<style>${raw(ALERT_LOG_STYLE)}</style></head>
<body>
<h1>On-call alert log</h1>
<p>High and urgent tickets filed, raised or replied to outside support hours page the on-call team: first a signed webhook
(the demo's stand-in SMS gateway at <code>/demo/pager</code>), then the next contact if nobody acknowledges within the window.
Only signed-in customers page; a customer's reply pages only when no alert for the ticket is open and the last page is older
than the cooldown. Every decision is listed, with the reason when nobody was paged.
<a href="/demo/">Back to the control panel</a>.</p>
<form method="post" action="/demo/cron"><button type="submit">Run the cron jobs now</button></form>
${tenants.map(
  (t) => html`<section class="card"><h2>${t.id}</h2>
  ${
    t.alerts.length === 0
      ? html`<p>No alerts yet.</p>`
      : html`<table><thead><tr><th>Ticket</th><th>Trigger</th><th>Priority</th><th>State</th><th>Raised</th><th>Delivery tries</th></tr></thead><tbody>
      ${t.alerts.map(
        (
          a,
        ) => html`<tr><td>#${a.ticketNumber} ${a.ticketSubject}</td><td>${a.trigger.replace("_", " ")}</td><td>${a.priority}</td>
          <td class="state ${a.state}">${a.state === "suppressed" ? "not paged" : a.state.replaceAll("_", " ")}${
            a.suppressedReason
              ? html`<br><small>${SUPPRESSED_BECAUSE[a.suppressedReason]}</small>`
              : a.acknowledgedBy
                ? html`<br><small>by ${a.acknowledgedBy}</small>`
                : ""
          }</td><td>${when(a.createdAt)}</td>
          <td><ol class="tries">${a.attemptsLog.map(
            (x) =>
              html`<li>${when(x.createdAt)} · contact ${x.contactIndex + 1} (${x.channel}) · ${x.ok ? "accepted" : `failed: ${x.error ?? ""}`}</li>`,
          )}</ol></td></tr>`,
      )}</tbody></table>`
  }
  </section>`,
)}
</body></html>`;
  return { html: page, needs: { inlineStyles: [ALERT_LOG_STYLE], forms: true } };
}

export interface OutboxView {
  id: string;
  tenantId: string;
  createdAt: number;
  from: string;
  to: string;
  subject: string;
  replyTo: string | null;
  messageId: string;
  text: string;
  raw: string;
}

/**
 * The mail that would have been sent (the local outbox), newest first. Everything is rendered
 * as escaped text, never as the mail's HTML. Each replyable mail has a form that answers it as
 * the customer would, by mail, through the Worker's email() path.
 */
const OUTBOX_STYLE = `
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 1000px; padding: 24px; color: #1d2433; background: #f5f7fb; }
  .mail { background: #fff; border: 1px solid #e3e7ef; border-radius: 10px; padding: 14px 18px; margin: 14px 0; }
  .meta { display: grid; grid-template-columns: 90px 1fr; gap: 2px 10px; font-size: 13px; color: #5b6577; }
  .meta b { color: #1d2433; font-weight: 600; }
  pre { white-space: pre-wrap; font: 13px/1.5 ui-monospace, monospace; background: #f8fafc; border: 1px solid #e3e7ef; border-radius: 6px; padding: 10px 12px; }
  details summary { cursor: pointer; color: #0550ae; min-height: 24px; }
  textarea { width: 100%; min-height: 70px; font: inherit; padding: 8px; border-radius: 6px; border: 1px solid #c5ccd9; box-sizing: border-box; }
  button { font: inherit; padding: 7px 14px; border-radius: 6px; border: 1px solid #c5ccd9; background: #fff; min-height: 36px; cursor: pointer; margin-top: 6px; }
  .note { background: #ecfdf3; border: 1px solid #abefc6; border-radius: 8px; padding: 10px 14px; }
`;

export function outboxPage(mails: OutboxView[], note: string | null): DemoPage {
  const when = (ms: number) => `${new Date(ms).toISOString().replace("T", " ").slice(0, 16)} UTC`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Outbox — Edgedesk demo</title>
<style>${raw(OUTBOX_STYLE)}</style></head>
<body>
<h1>Outbox</h1>
<p>The mail Edgedesk would have sent (<code>MAIL_TRANSPORT=outbox</code>, the local default): shown as text, never as HTML.
Replies go to a signed per-ticket address; answer one below as the customer and the reply lands on the ticket, quote stripped.
<a href="/demo/">Back to the control panel</a>.</p>
${note ? html`<p class="note" role="status">${note}</p>` : ""}
${mails.length === 0 ? html`<p>No mail yet.</p>` : ""}
${mails.map(
  (m) => html`<article class="mail" aria-label="${m.subject}">
  <div class="meta"><span>Subject</span><b>${m.subject}</b><span>From</span><span>${m.from}</span><span>To</span><span>${m.to}</span>
    ${m.replyTo ? html`<span>Reply-To</span><span>${m.replyTo}</span>` : ""}<span>Sent</span><span>${when(m.createdAt)} · ${m.tenantId}</span></div>
  <pre>${m.text}</pre>
  <details><summary>Original MIME</summary><pre>${m.raw}</pre></details>
  ${
    m.replyTo
      ? html`<form method="post" action="/demo/outbox/${m.id}/reply"><label for="reply-${m.id}">Reply by mail, as ${m.to}</label>
      <textarea id="reply-${m.id}" name="text" required>Thanks, that fixed it!</textarea><button type="submit">Send reply</button></form>`
      : ""
  }
</article>`,
)}
</body></html>`;
  return { html: page, needs: { inlineStyles: [OUTBOX_STYLE], forms: true } };
}
