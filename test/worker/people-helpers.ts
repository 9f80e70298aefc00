import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { unzipSync } from "fflate";
import { replyAddress } from "../../worker/email/address";
import worker from "../../worker/index";
import type { CreateTicketResponse, TicketDetailResponse, UploadView } from "../../worker/schemas/ticket";
import { EVENT_TYPES } from "../../worker/schemas/webhooks";
import { staff } from "./console-helpers";
import { ADMIN, api, deliverMail, newTenant } from "./helpers";

const enc = (s: string) => new TextEncoder().encode(s);
export const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0,
  0, 0, 0xfe, 0xed,
]);

/** Calls the Worker and keeps the body as bytes (a ZIP). */
export async function fetchBytes(
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://desk.example.com${path}`, { method, headers }), env, ctx);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, bytes };
}

export const unzip = (bytes: Uint8Array): Record<string, Uint8Array> => unzipSync(bytes);
export const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** Uploads a file through the upload route, as the widget does. */
export async function upload(tenantId: string, token: string, name: string, body: Uint8Array): Promise<UploadView> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com/api/v1/${tenantId}/uploads?${new URLSearchParams({ name })}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "content-length": String(body.length),
      },
      body,
    }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const json = (await res.json()) as { upload: UploadView };
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(json)}`);
  return json.upload;
}

let mails = 0;
/** A plain mail with one text attachment, as a mail client sends it. */
export function mailWithFile(m: {
  from: string;
  name: string;
  to: string;
  subject: string;
  body: string;
  file: string;
}) {
  const boundary = `b${mails}`;
  return [
    `From: ${m.name} <${m.from}>`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Message-ID: <people.${Date.now()}.${mails++}@mail.example>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    m.body,
    `--${boundary}`,
    'Content-Type: text/plain; name="trace.log"',
    'Content-Disposition: attachment; filename="trace.log"',
    "",
    m.file,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/**
 * A desk taking mail, and one person with everything a person leaves behind: a ticket filed in the
 * panel with two uploaded files, a staff reply they voted on, a reply by mail with a file (its
 * original kept in R2), and a second ticket opened by mail. `phrase` is in everything they wrote.
 * A bystander has a ticket, a file and a mail of their own.
 */
export async function personWithData() {
  const t = await newTenant({
    config: {
      email: { fromAddress: "support@placeholder.example", newTicketsByEmail: true, departmentsByAddress: {} },
    },
  });
  // An endpoint for every event, notes too: its deliveries carry the person's tickets and words.
  const endpoint = await api("POST", `/api/v1/admin/tenants/${t.id}/webhooks`, {
    headers: ADMIN,
    body: { url: "https://crm.example/edgedesk", events: EVENT_TYPES, includeInternalNotes: true },
  });
  if (endpoint.status !== 201) throw new Error(`webhook endpoint: ${endpoint.status}`);
  const domain = `${t.id}.example`;
  await env.DB.prepare("UPDATE tenants SET config = json_set(config, '$.email.fromAddress', ?2) WHERE id = ?1")
    .bind(t.id, `support@${domain}`)
    .run();
  const unique = crypto.randomUUID().slice(0, 8);
  const person = { email: `Zoe.Erasmus.${unique}@Example.org`, name: `Zoë Erasmus-${unique}`, sub: `zoe-${unique}` };
  const phrase = `quokka-${unique}-marmalade`;
  const bystander = { email: `ben.${unique}@example.net`, name: `Ben Bystander-${unique}`, sub: `ben-${unique}` };
  const bystanderPhrase = `bystander-${unique}-words`;

  const zoe = await t.token({ sub: person.sub, email: person.email, name: person.name });
  const ben = await t.token({ sub: bystander.sub, email: bystander.email, name: bystander.name });
  const agent = await t.token(staff(`agent-${unique}`, "Agnes Agent"));
  const admin = await t.token(staff(`admin-${unique}`, "Ada Admin", "admin"));

  const screenshot = await upload(t.id, zoe, "screen.png", PNG);
  const log = await upload(t.id, zoe, "error.log", enc(`php fatal error near ${phrase}\n`));
  const filed = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
    token: zoe,
    body: {
      department: "billing",
      subject: `Invoice ${phrase}`,
      message: `Please look at ${phrase}, my name is ${person.name}.`,
      attachmentIds: [screenshot.id, log.id],
    },
  });
  if (filed.status !== 201) throw new Error(`filing failed: ${JSON.stringify(filed.body)}`);
  const ticket = filed.body.ticket;
  await api("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, {
    token: agent,
    body: { body: `Hello ${person.name}, about ${phrase}: fixed.` },
  });
  await api("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, {
    token: agent,
    body: { body: "Internal: she is a long-time customer.", internal: true },
  });
  const detail = (await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket.id}`, { token: zoe })).body
    .ticket;
  const staffReply = detail.messages.find((m) => m.author.kind === "agent")!;
  const vote = await api("POST", `/api/v1/${t.id}/messages/${staffReply.id}/feedback`, {
    token: zoe,
    body: { helpful: true },
  });
  if (vote.status >= 300) throw new Error(`vote failed: ${vote.status} ${JSON.stringify(vote.body)}`);

  const to = await replyAddress(env.SECRETS_KEY!, t.id, ticket.id, domain);
  const replyMail = mailWithFile({
    from: person.email.toLowerCase(),
    name: person.name,
    to,
    subject: `Re: Invoice ${phrase}`,
    body: `Thanks, and one more thing about ${phrase}.`,
    file: `trace mentioning ${phrase}`,
  });
  const r1 = await deliverMail(replyMail, { from: person.email.toLowerCase(), to });
  const newMail = mailWithFile({
    from: person.email.toLowerCase(),
    name: person.name,
    to: `support@${domain}`,
    subject: `Mail ticket ${phrase}`,
    body: `Writing by mail about ${phrase}.`,
    file: `second trace ${phrase}`,
  });
  const r2 = await deliverMail(newMail, { from: person.email.toLowerCase(), to: `support@${domain}` });
  if (r1 || r2) throw new Error(`mail refused: ${r1 ?? r2}`);

  const benFile = await upload(t.id, ben, "ben.log", enc(`${bystanderPhrase}\n`));
  const benTicket = (
    await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: ben,
      body: {
        department: "billing",
        subject: `Ben ${bystanderPhrase}`,
        message: bystanderPhrase,
        attachmentIds: [benFile.id],
      },
    })
  ).body.ticket;
  const benMail = mailWithFile({
    from: bystander.email,
    name: bystander.name,
    to: `support@${domain}`,
    subject: `Ben by mail ${bystanderPhrase}`,
    body: bystanderPhrase,
    file: bystanderPhrase,
  });
  if (await deliverMail(benMail, { from: bystander.email, to: `support@${domain}` })) throw new Error("ben's mail");

  return {
    t,
    domain,
    person,
    phrase,
    bystander,
    bystanderPhrase,
    benTicket,
    tokens: { zoe, ben, agent, admin },
    ticket,
    files: { screenshot: PNG, log: enc(`php fatal error near ${phrase}\n`) },
    mails: { reply: replyMail, created: newMail },
  };
}

/** Every text value in every table of the database, with where it is (the erasure test's scan). */
export async function everyText(): Promise<{ where: string; value: string }[]> {
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const found: { where: string; value: string }[] = [];
  for (const { name } of tables) {
    const { results } = await env.DB.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>();
    for (const row of results)
      for (const [column, value] of Object.entries(row))
        if (typeof value === "string") found.push({ where: `${name}.${column}`, value });
  }
  return found;
}

/** Every object in R2, as text (the erasure test's scan). */
export async function everyObject(): Promise<{ key: string; text: string }[]> {
  const out: { key: string; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const list = await env.FILES.list({ limit: 1000, ...(cursor && { cursor }) });
    for (const o of list.objects) {
      const object = await env.FILES.get(o.key);
      out.push({ key: o.key, text: object ? await object.text() : "" });
    }
    cursor = list.truncated ? list.cursor : undefined;
  } while (cursor);
  return out;
}
