// A status-page relay for Edgedesk's status notice (docs/api.md, "Status notice"): maps a
// Statuspage or Instatus webhook to Edgedesk's small body and POSTs it signed the Standard
// Webhooks way. `node:crypto` only. Use the functions from your own relay (a Worker, a Lambda, a
// route of your panel), or run it once from the command line with a payload on stdin:
//
//   export EDGEDESK_STATUS_URL=http://127.0.0.1:8787/api/v1/demo/status-notice/webhook
//   export EDGEDESK_STATUS_SECRET=whsec_…   # POST /api/v1/{tenant}/status-notice/webhook-secret
//   node examples/node/status-relay.mjs statuspage < incident.json
import { createHmac, randomUUID } from "node:crypto";
import { argv, env, stdin } from "node:process";
import { pathToFileURL } from "node:url";

const oneLine = (s) =>
  String(s ?? "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 300);
const names = (components) =>
  (components ?? [])
    .map((c) => oneLine(c.name).slice(0, 80))
    .filter(Boolean)
    .slice(0, 20);

/** Statuspage (`{incident: {name, status, scheduled_for, scheduled_until, components}}`) → the notice, or null to clear. */
export function noticeFromStatuspage(payload) {
  const incident = payload.incident;
  if (!incident) return undefined; // a component update, say: nothing to do
  if (["resolved", "postmortem", "completed"].includes(incident.status)) return null;
  const planned = ["scheduled", "in_progress", "verifying"].includes(incident.status);
  return {
    text: oneLine(incident.name),
    severity: planned ? "maintenance" : "incident",
    startsAt: planned ? (incident.scheduled_for ?? null) : null,
    endsAt: planned ? (incident.scheduled_until ?? null) : null,
    affects: names(incident.components),
  };
}

/** Instatus (`{incident: {name, status, …}}` or `{maintenance: {name, status, …}}`) → the notice, or null to clear. */
export function noticeFromInstatus(payload) {
  const item = payload.incident ?? payload.maintenance;
  if (!item) return undefined;
  if (["RESOLVED", "COMPLETED"].includes(item.status)) return null;
  return {
    text: oneLine(item.name),
    severity: payload.maintenance ? "maintenance" : "incident",
    startsAt: null,
    endsAt: null,
    affects: names(item.affected_components ?? item.components),
  };
}

/** The three Standard Webhooks headers for `body`. */
export function signedHeaders(secret, body, id = `msg_${randomUUID()}`, now = Date.now()) {
  const timestamp = Math.floor(now / 1000).toString();
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` };
}

/** Sets (a notice) or clears (null) the desk's status notice. Edgedesk answers 204 when it took it. */
export async function sendNotice(url, secret, notice) {
  const body = JSON.stringify({ notice });
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signedHeaders(secret, body) },
    body,
  });
}

if (import.meta.url === pathToFileURL(argv[1] ?? "").href) {
  const from = argv[2] === "instatus" ? noticeFromInstatus : noticeFromStatuspage;
  let text = "";
  for await (const chunk of stdin) text += chunk;
  const notice = from(JSON.parse(text));
  if (notice === undefined) {
    console.log("nothing to relay");
  } else {
    const res = await sendNotice(env.EDGEDESK_STATUS_URL, env.EDGEDESK_STATUS_SECRET, notice);
    console.log(res.status, await res.text());
    if (!res.ok) process.exitCode = 1;
  }
}
