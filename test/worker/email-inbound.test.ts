import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { replyAddress } from "../../worker/email/address";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { EXPECTED, FIXTURES, type FixtureName, fillFixture, NOTIFICATION_TEXT } from "./fixtures/mail";
import { api, count, deliverMail, newTenant, technicalTicket } from "./helpers";

const ALICE = "alice@example.com";
const agentClaims = staff("bob", "Bob Lindqvist");

/** Hands a raw mail to the Worker's email() entry point, as Email Routing does; returns the rejection, if any. */
async function deliver(raw: string, envelope: { from: string; to: string }): Promise<{ rejected: string | null }> {
  return { rejected: await deliverMail(raw, envelope) };
}

let mails = 0;
const newMessageId = () => `<fixture.${Date.now()}.${mails++}@mail.example>`;

/**
 * A tenant that mails from its own domain, a ticket of Alice's with Bob's answer mailed to her
 * (its text exactly the one the fixtures quote), and the addresses a reply would use.
 */
async function answeredTicket(config: Record<string, unknown> = {}) {
  const t = await newTenant({
    config: {
      email: { fromAddress: "support@placeholder.example", newTicketsByEmail: false, departmentsByAddress: {} },
      ...config,
    },
  });
  const domain = `${t.id}.example`;
  await env.DB.prepare("UPDATE tenants SET config = json_set(config, '$.email.fromAddress', ?2) WHERE id = ?1")
    .bind(t.id, `support@${domain}`)
    .run();
  const alice = await t.token();
  const agent = await t.token(agentClaims);
  const ticket = (
    await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: alice, body: technicalTicket })
  ).body.ticket;
  await api("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, {
    token: agent,
    body: { body: "The caching plugin's update left a broken rule in .htaccess." },
  });
  const notice = await env.DB.prepare(
    "SELECT id, message_id FROM notifications WHERE ticket_id = ?1 AND kind = 'agent_replied'",
  )
    .bind(ticket.id)
    .first<{ id: string; message_id: string }>();
  await env.DB.prepare("UPDATE notifications SET sent_text = ?2 WHERE id = ?1")
    .bind(notice!.id, NOTIFICATION_TEXT)
    .run();
  const to = await replyAddress(env.SECRETS_KEY!, t.id, ticket.id, domain);
  const read = async (token = alice) =>
    (await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket.id}`, { token })).body.ticket;
  const mail = (
    name: FixtureName,
    values: { from?: string; to?: string; inReplyTo?: string | null; messageId?: string } = {},
  ) =>
    fillFixture(FIXTURES[name], {
      from: values.from ?? ALICE,
      to: values.to ?? to,
      messageId: values.messageId ?? newMessageId(),
      ...(values.inReplyTo !== null && { inReplyTo: values.inReplyTo ?? notice!.message_id }),
    });
  return { t, domain, ticket, to, inReplyTo: notice!.message_id, alice, agent, read, mail };
}

const messagesOf = (ticketId: string) => count("messages", "ticket_id = ?1", ticketId);

describe("replies by mail", () => {
  for (const name of [
    "gmail-top-posted",
    "gmail-inline",
    "outlook-top-posted",
    "apple-mail-top-posted",
    "thunderbird-inline",
    "html-only",
  ] as const) {
    it(`puts a ${name} reply on its ticket, quote and signature removed, and keeps the original`, async () => {
      const s = await answeredTicket();
      const raw = s.mail(name);
      expect(await deliver(raw, { from: ALICE, to: s.to })).toEqual({ rejected: null });
      const ticket = await s.read();
      const last = ticket.messages.at(-1)!;
      expect(last.body).toBe(EXPECTED[name]);
      expect(last.source).toBe("email");
      // A reply re-opens the conversation for the team.
      expect(ticket.status).toBe("open");
      const agentView = (await s.read(s.agent)).messages.at(-1)!;
      const original = await api<string>("GET", agentView.originalUrl!, { token: s.agent });
      expect(original.status).toBe(200);
      expect(original.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(original.headers.get("content-security-policy")).toBe("sandbox");
      expect(original.body).toBe(raw);
      expect(last.originalUrl).toBeUndefined();
      expect((await api("GET", agentView.originalUrl!, { token: s.alice })).status).toBe(403);
    });
  }

  it("finds the ticket from our Message-ID when the mail goes to the plain support address", async () => {
    const s = await answeredTicket();
    expect(
      await deliver(s.mail("gmail-top-posted", { to: `support@${s.domain}` }), {
        from: ALICE,
        to: `support@${s.domain}`,
      }),
    ).toEqual({ rejected: null });
    expect((await s.read()).messages.at(-1)!.body).toBe(EXPECTED["gmail-top-posted"]);
  });

  it("keeps a forwarded message whole: it is the content", async () => {
    const s = await answeredTicket();
    await deliver(s.mail("forwarded"), { from: ALICE, to: s.to });
    expect((await s.read()).messages.at(-1)!.body).toBe(EXPECTED.forwarded);
  });

  it("re-opens a closed ticket", async () => {
    const s = await answeredTicket();
    await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.ticket.id}`, { token: s.alice, body: { status: "closed" } });
    await deliver(s.mail("apple-mail-top-posted"), { from: ALICE, to: s.to });
    expect((await s.read()).status).toBe("open");
  });

  it("keeps the allowed attachments through the upload checks, and names the refused ones in the message", async () => {
    const s = await answeredTicket();
    await deliver(s.mail("with-attachments"), { from: ALICE, to: s.to });
    const last = (await s.read()).messages.at(-1)!;
    expect(last.attachments.map((a) => [a.name, a.type])).toEqual([
      ["screenshot.png", "image/png"],
      ["invoice.pdf", "application/pdf"],
    ]);
    expect(last.body.startsWith(EXPECTED["with-attachments"])).toBe(true);
    expect(last.body).toMatch(/\[Attachments not accepted: setup\.exe \(\.exe is not an accepted type\)\]$/);
  });

  it("warns agents, and only agents, when a reply looks like it holds a password", async () => {
    const s = await answeredTicket();
    await deliver(s.mail("password-reply"), { from: ALICE, to: s.to });
    expect((await s.read(s.agent)).messages.at(-1)!.warning).toBe("password");
    expect((await s.read()).messages.at(-1)!.warning).toBeUndefined();
  });
});

describe("what is refused, writing nothing", () => {
  const nothingWritten = async (s: Awaited<ReturnType<typeof answeredTicket>>, before: number) => {
    expect(await messagesOf(s.ticket.id)).toBe(before);
    expect(await count("inbound_mail", "tenant_id = ?1", s.t.id)).toBe(0);
    expect((await env.FILES.list({ prefix: `${s.t.id}/${s.ticket.id}/mail/` })).objects).toEqual([]);
  };

  it("refuses a reply from anyone but the requester", async () => {
    const s = await answeredTicket();
    const before = await messagesOf(s.ticket.id);
    const { rejected } = await deliver(s.mail("gmail-top-posted", { from: "mallory@evil.example" }), {
      from: "mallory@evil.example",
      to: s.to,
    });
    expect(rejected).toMatch(/only the person who filed this ticket/i);
    await nothingWritten(s, before);
  });

  it("refuses a reply address with a wrong or missing MAC", async () => {
    const s = await answeredTicket();
    const before = await messagesOf(s.ticket.id);
    const [local, domain] = s.to.split("@") as [string, string];
    const flipped = `${local.slice(0, -1)}${local.endsWith("0") ? "1" : "0"}@${domain}`;
    const missing = `${local.split(".")[0]}@${domain}`;
    for (const to of [flipped, missing]) {
      const { rejected } = await deliver(s.mail("gmail-top-posted", { to }), { from: ALICE, to });
      expect(rejected).toMatch(/not valid/);
    }
    await nothingWritten(s, before);
  });

  it("refuses a mail whose References name another tenant's message", async () => {
    const a = await answeredTicket({
      email: { fromAddress: "x@x.example", newTicketsByEmail: true, departmentsByAddress: {} },
    });
    const b = await answeredTicket();
    const before = await messagesOf(a.ticket.id);
    const to = `support@${a.domain}`;
    const { rejected } = await deliver(a.mail("gmail-top-posted", { to, inReplyTo: b.inReplyTo }), { from: ALICE, to });
    expect(rejected).toMatch(/conversation this support desk does not know/);
    await nothingWritten(a, before);
    expect(await messagesOf(b.ticket.id)).toBe(2);
  });

  it("takes the same mail once, delivered twice in a row or at once", async () => {
    const s = await answeredTicket();
    const before = await messagesOf(s.ticket.id);
    const raw = s.mail("gmail-top-posted");
    await deliver(raw, { from: ALICE, to: s.to });
    await deliver(raw, { from: ALICE, to: s.to });
    expect(await messagesOf(s.ticket.id)).toBe(before + 1);
    const again = s.mail("apple-mail-top-posted");
    await Promise.all([deliver(again, { from: ALICE, to: s.to }), deliver(again, { from: ALICE, to: s.to })]);
    expect(await messagesOf(s.ticket.id)).toBe(before + 2);
  });

  it("stores a reply-all to the reply address with Cc: the support address once, in either order or at once", async () => {
    const s = await answeredTicket();
    const support = `support@${s.domain}`;
    const before = await messagesOf(s.ticket.id);
    // One mail, two envelope recipients: Email Routing hands it over once per address.
    const replyAll = (messageId: string) =>
      s.mail("gmail-top-posted", { messageId }).replace(/^To: .*$/m, (to) => `${to}\r\nCc: ${support}`);
    const first = replyAll(newMessageId());
    expect(await deliver(first, { from: ALICE, to: s.to })).toEqual({ rejected: null });
    expect(await deliver(first, { from: ALICE, to: support })).toEqual({ rejected: null });
    const second = replyAll(newMessageId());
    expect(await deliver(second, { from: ALICE, to: support })).toEqual({ rejected: null });
    expect(await deliver(second, { from: ALICE, to: s.to })).toEqual({ rejected: null });
    const third = replyAll(newMessageId());
    await Promise.all([deliver(third, { from: ALICE, to: s.to }), deliver(third, { from: ALICE, to: support })]);
    expect(await messagesOf(s.ticket.id)).toBe(before + 3);
    expect(await count("inbound_mail", "tenant_id = ?1", s.t.id)).toBe(3);
  });

  for (const [name, envelopeFrom] of [
    ["auto-reply", ALICE],
    ["bounce", ""],
  ] as const) {
    it(`drops ${name === "bounce" ? "a bounce" : "an auto-reply"} without a message, a re-open, a notice or a rejection`, async () => {
      const s = await answeredTicket();
      await api("PATCH", `/api/v1/${s.t.id}/tickets/${s.ticket.id}`, { token: s.alice, body: { status: "closed" } });
      const before = {
        messages: await messagesOf(s.ticket.id),
        notices: await count("notifications", "ticket_id = ?1", s.ticket.id),
      };
      expect(await deliver(s.mail(name), { from: envelopeFrom, to: s.to })).toEqual({ rejected: null });
      expect(await messagesOf(s.ticket.id)).toBe(before.messages);
      expect(await count("notifications", "ticket_id = ?1", s.ticket.id)).toBe(before.notices);
      expect((await s.read()).status).toBe("closed");
    });
  }

  it("drops our own notification coming back to us", async () => {
    const s = await answeredTicket();
    const before = await messagesOf(s.ticket.id);
    const ours = await env.DB.prepare("SELECT raw FROM outbox WHERE tenant_id = ?1 ORDER BY created_at DESC LIMIT 1")
      .bind(s.t.id)
      .first<{ raw: string }>();
    expect(await deliver(ours!.raw, { from: `support@${s.domain}`, to: s.to })).toEqual({ rejected: null });
    expect(await messagesOf(s.ticket.id)).toBe(before);
  });
});

describe("new tickets by mail", () => {
  it("opens a ticket in the department of the address, from the sender, and tells them it was received", async () => {
    const s = await answeredTicket({
      email: { fromAddress: "x@x.example", newTicketsByEmail: true, departmentsByAddress: { billing: "billing" } },
    });
    const from = "new.customer@example.org";
    const to = `billing@${s.domain}`;
    expect(await deliver(s.mail("new-ticket", { from, to, inReplyTo: null }), { from, to })).toEqual({
      rejected: null,
    });
    const row = await env.DB.prepare("SELECT id FROM tickets WHERE tenant_id = ?1 AND requester_email = ?2")
      .bind(s.t.id, from)
      .first<{ id: string }>();
    const ticket = (await api<TicketDetailResponse>("GET", `/api/v1/${s.t.id}/tickets/${row!.id}`, { token: s.agent }))
      .body.ticket;
    expect(ticket).toMatchObject({ department: "billing", status: "open", requester: { kind: "guest", email: from } });
    expect(ticket.messages[0]!.body).toBe(EXPECTED["new-ticket"]);
    expect(await count("outbox", "tenant_id = ?1 AND mail_to = ?2", s.t.id, from)).toBe(1);
  });

  it("refuses mail that names no ticket where the tenant takes none by mail", async () => {
    const s = await answeredTicket();
    const to = `support@${s.domain}`;
    const { rejected } = await deliver(s.mail("new-ticket", { to, inReplyTo: null }), { from: ALICE, to });
    expect(rejected).toMatch(/replies to tickets only/);
    expect(await count("tickets", "tenant_id = ?1", s.t.id)).toBe(1);
  });

  it("refuses mail to a domain no tenant has", async () => {
    const to = "support@nobody-here.example";
    const s = await answeredTicket();
    const { rejected } = await deliver(s.mail("new-ticket", { to, inReplyTo: null }), { from: ALICE, to });
    expect(rejected).toMatch(/no support desk/);
  });
});

describe("review fixes", () => {
  it("takes mail to a plus address that is not a ticket's as plain (support+urgent@)", async () => {
    const s = await answeredTicket({
      email: { fromAddress: "x@x.example", newTicketsByEmail: true, departmentsByAddress: {} },
    });
    const to = `support+urgent@${s.domain}`;
    expect(await deliver(s.mail("new-ticket", { to, inReplyTo: null }), { from: ALICE, to })).toEqual({
      rejected: null,
    });
    expect(await count("tickets", "tenant_id = ?1", s.t.id)).toBe(2);
  });

  it("puts one mail sent to two tickets' addresses on both", async () => {
    const s = await answeredTicket();
    const alice = s.alice;
    const second = (
      await api<CreateTicketResponse>("POST", `/api/v1/${s.t.id}/tickets`, { token: alice, body: technicalTicket })
    ).body.ticket;
    const secondTo = await replyAddress(env.SECRETS_KEY!, s.t.id, second.id, s.domain);
    const raw = s.mail("apple-mail-top-posted", { inReplyTo: null });
    const before = [await messagesOf(s.ticket.id), await messagesOf(second.id)];
    await deliver(raw, { from: ALICE, to: s.to });
    await deliver(raw, { from: ALICE, to: secondTo });
    expect([await messagesOf(s.ticket.id), await messagesOf(second.id)]).toEqual([before[0]! + 1, before[1]! + 1]);
  });

  it("keeps an image pasted into an HTML reply as an attachment", async () => {
    const s = await answeredTicket();
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    const raw = [
      `From: Alice <${ALICE}>`,
      `To: ${s.to}`,
      "Subject: Re: the error",
      `Message-ID: ${newMessageId()}`,
      `In-Reply-To: ${s.inReplyTo}`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/related; boundary="rel"',
      "",
      "--rel",
      "Content-Type: text/html; charset=utf-8",
      "",
      '<p>Here is the error:</p><p><img src="cid:shot@local"></p>',
      "--rel",
      "Content-Type: image/png",
      "Content-Transfer-Encoding: base64",
      "Content-ID: <shot@local>",
      'Content-Disposition: inline; filename="image001.png"',
      "",
      png,
      "--rel--",
      "",
    ].join("\r\n");
    await deliver(raw, { from: ALICE, to: s.to });
    expect((await s.read()).messages.at(-1)!.attachments.map((a) => a.name)).toEqual(["image001.png"]);
  });

  it("refuses mail whose From is not a valid address", async () => {
    const s = await answeredTicket({
      email: { fromAddress: "x@x.example", newTicketsByEmail: true, departmentsByAddress: {} },
    });
    const to = `support@${s.domain}`;
    const { rejected } = await deliver(s.mail("new-ticket", { from: '"a>b"@c.com', to, inReplyTo: null }), {
      from: "x@c.com",
      to,
    });
    expect(rejected).toMatch(/not a valid address/);
    expect(await count("tickets", "tenant_id = ?1", s.t.id)).toBe(1);
  });
});
