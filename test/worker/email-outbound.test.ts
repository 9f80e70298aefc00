import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { listNotifications } from "../../worker/db/notifications";
import { readTenant } from "../../worker/db/tenants";
import { tenantOfTicket } from "../../worker/db/tickets";
import { checkReplyAddress } from "../../worker/email/address";
import { composeNotification, mailIdentity } from "../../worker/email/compose";
import { deliverDueMail, MAX_ATTEMPTS } from "../../worker/email/mailer";
import { httpSender, type Sender, sendEmailSender } from "../../worker/email/senders";
import type { Problem } from "../../worker/errors";
import { type Tenant, TenantConfig } from "../../worker/schemas/tenant";
import type { CreateTicketResponse, TicketView } from "../../worker/schemas/ticket";
import { api, billingTicket, count, newTenant, ORIGIN, technicalTicket } from "./helpers";

interface Outboxed {
  notification_id: string;
  message_id: string;
  mail_from: string;
  mail_to: string;
  subject: string;
  raw: string;
}

const agentClaims = {
  sub: "bob",
  name: "Bob Lindqvist",
  email: "bob@northwind.example",
  role: "agent" as const,
  services: [],
};
const northwind = {
  email: { fromAddress: "support@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
};

async function outbox(tenantId: string): Promise<Outboxed[]> {
  return (
    await env.DB.prepare("SELECT * FROM outbox WHERE tenant_id = ?1 ORDER BY created_at, rowid")
      .bind(tenantId)
      .all<Outboxed>()
  ).results;
}

describe("notification mail", async () => {
  const t = await newTenant({ name: "Northwind Hosting", config: { ...northwind, guestsAllowed: true } });
  const alice = await t.token();
  const bob = await t.token(agentClaims);

  it("tells the customer their ticket was received: from the tenant, with a signed Reply-To, our Message-ID and the ticket number", async () => {
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: { ...technicalTicket, sensitive: "FTP password Sunflower-42" },
    });
    const { id, number } = created.body.ticket;
    const [mail] = (await outbox(t.id)).filter((m) => m.subject.includes(String(number)));
    expect(mail).toBeDefined();
    const parsed = await PostalMime.parse(mail!.raw);
    expect(parsed.from).toEqual({ name: "Northwind Hosting Support", address: "support@northwind.example" });
    expect(parsed.to?.map((a) => a.address)).toEqual(["alice@example.com"]);
    expect(parsed.subject).toBe(`[#${number}] 500 Error on example.com`);
    expect(parsed.messageId).toBe(mail!.message_id);
    expect(parsed.messageId).toMatch(/^<edgedesk\.[0-9a-f-]{36}@northwind\.example>$/);
    const replyTo = parsed.replyTo?.[0]?.address ?? "";
    expect(replyTo).toMatch(/^support\+[0-9a-f]{32}\.[0-9a-f]{20}@northwind\.example$/);
    expect(await checkReplyAddress(env.SECRETS_KEY!, replyTo, (ticketId) => tenantOfTicket(env.DB, ticketId))).toEqual({
      kind: "ticket",
      ticketId: id,
      tenantId: t.id,
    });
    expect(parsed.text).toContain(`We received your ticket #${number}, "500 Error on example.com".`);
    expect(parsed.text).toContain("Never send passwords by email");
    expect(parsed.html).toContain("Never send passwords by email");
    expect(parsed.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-generated");
    // The sensitive field never goes into mail, in any part or encoding.
    expect(mail!.raw).not.toContain("Sunflower");
    expect(`${parsed.text}${parsed.html}`).not.toContain("Sunflower");
  });

  it("sends a staff reply's text, and nothing for an internal note", async () => {
    const ticket = (
      await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: alice, body: billingTicket })
    ).body.ticket;
    await api("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, {
      token: bob,
      body: { body: "Internal: customer is on the legacy plan.", internal: true },
    });
    await api("POST", `/api/v1/${t.id}/tickets/${ticket.id}/messages`, {
      token: bob,
      body: { body: "The duplicate charge is refunded." },
    });
    const mails = (await outbox(t.id)).filter((m) => m.subject.includes(String(ticket.number)));
    expect(mails.map((m) => m.subject)).toEqual([
      `[#${ticket.number}] Invoice question`,
      `Re: [#${ticket.number}] Invoice question`,
    ]);
    const reply = await PostalMime.parse(mails[1]!.raw);
    expect(reply.text).toContain(
      `Bob Lindqvist replied to your ticket #${ticket.number}, "Invoice question":\n\nThe duplicate charge is refunded.`,
    );
    expect(mails.map((m) => m.raw).join("")).not.toContain("legacy plan");
  });

  it("mails a guest their private link, only on a page of the tenant's own panel", async () => {
    const guest = { name: "Gina", email: "gina@example.net", returnUrl: `${ORIGIN}/support?tab=tickets#old` };
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      body: { ...billingTicket, guest },
    });
    const mail = (await outbox(t.id)).find((m) => m.mail_to === "gina@example.net");
    const parsed = await PostalMime.parse(mail!.raw);
    expect(parsed.text).toContain(`${ORIGIN}/support?tab=tickets#edgedesk-key=${created.body.accessKey}`);
    const phishing = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      body: {
        ...billingTicket,
        guest: { ...guest, email: "victim@example.net", returnUrl: "https://evil.example/login" },
      },
    });
    expect(phishing.status).toBe(400);
    expect(phishing.body.errors?.map((e) => e.path)).toEqual(["guest.returnUrl"]);
    expect(await count("notifications", "tenant_id = ?1 AND recipient = 'victim@example.net'", t.id)).toBe(0);
  });

  it("writes each kind of notice as MIME that parses back, with the number in the subject", async () => {
    const tenant = (await readTenant(env.DB, t.id))!;
    const base = {
      tenantId: t.id,
      ticketId: crypto.randomUUID(),
      recipient: "alice@example.com",
      dedupeKey: "x",
      createdAt: Date.now(),
      sentAt: null,
      attempts: 1,
      leaseUntil: null,
    };
    const payloads = {
      closing_soon: {
        number: 11111111,
        subject: "Slow site",
        closesAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      auto_closed: { number: 11111111, subject: "Slow site", closedAt: new Date().toISOString(), hours: 72 },
      alert: {
        ticket: { number: 11111111, subject: "Slow site", priority: "urgent", department: "technical", status: "open" },
        trigger: "created",
        acknowledgeUrl: "https://desk.example/ack?sig=x",
      },
    } as const;
    for (const [kind, payload] of Object.entries(payloads)) {
      const mail = await composeNotification(
        { ...base, id: crypto.randomUUID(), kind: kind as keyof typeof payloads, payload },
        { tenant, secret: env.SECRETS_KEY!, now: Date.now() },
      );
      const parsed = await PostalMime.parse(mail!.raw);
      expect(parsed.subject, kind).toContain("11111111");
      expect(parsed.text, kind).toBe(mail!.text);
      if (kind === "closing_soon") {
        const local = new Intl.DateTimeFormat("en-GB", {
          timeZone: tenant.config.timeZone,
          hour: "2-digit",
          minute: "2-digit",
        }).format(new Date(payloads.closing_soon.closesAt));
        expect(parsed.text, "closing time in the tenant's zone").toContain(local);
      }
      // On-call alerts are acknowledged by link, not answered by mail.
      expect(Boolean(parsed.replyTo), kind).toBe(kind !== "alert");
    }
  });
});

/**
 * A Northwind ticket filed through the Worker (whose own immediate send goes to the outbox), with
 * its notice made unsent and due again, after `attempts` tries: what the mailer tests deliver.
 */
async function ticketWithUnsentNotice(
  attempts = 0,
): Promise<{ t: Awaited<ReturnType<typeof newTenant>>; ticket: TicketView }> {
  const t = await newTenant({ config: northwind });
  const ticket = (
    await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: billingTicket })
  ).body.ticket;
  await env.DB.prepare(
    "UPDATE notifications SET sent_at = NULL, outcome = NULL, message_id = NULL, next_attempt_at = 0, attempts = ?2 WHERE ticket_id = ?1",
  )
    .bind(ticket.id, attempts)
    .run();
  return { t, ticket };
}

describe("the mailer", async () => {
  it("retries a failing sender with backoff until it accepts, and sends each notice once", async () => {
    const { t, ticket } = await ticketWithUnsentNotice();
    const sent: string[] = [];
    let failuresLeft = 2;
    const flaky: Sender = {
      name: "flaky",
      async send(mail) {
        if (failuresLeft-- > 0) throw new Error("421 try again later");
        sent.push(mail.messageId);
      },
    };
    let now = Date.now();
    expect(await deliverDueMail(env, now, { ticketId: ticket.id, sender: flaky })).toEqual({
      sent: 0,
      skipped: 0,
      failed: 1,
    });
    // Not due again until its backoff is over.
    expect(await deliverDueMail(env, now + 1000, { ticketId: ticket.id, sender: flaky })).toEqual({
      sent: 0,
      skipped: 0,
      failed: 0,
    });
    now += 30_000;
    expect((await deliverDueMail(env, now, { ticketId: ticket.id, sender: flaky })).failed).toBe(1);
    now += 60_000;
    expect((await deliverDueMail(env, now, { ticketId: ticket.id, sender: flaky })).sent).toBe(1);
    expect((await deliverDueMail(env, now + 3_600_000, { ticketId: ticket.id, sender: flaky })).sent).toBe(0);
    expect(sent).toHaveLength(1);
    const [notice] = await listNotifications(env.DB, { tenantId: t.id, ticketId: ticket.id });
    expect(notice).toMatchObject({ attempts: 3 });
    expect(notice!.sentAt).toBe(now);
  });

  it("gives a notice up after MAX_ATTEMPTS failed tries, and tries no more", async () => {
    const { ticket } = await ticketWithUnsentNotice(MAX_ATTEMPTS - 1);
    const broken: Sender = {
      name: "broken",
      async send() {
        throw new Error("550 mailbox unavailable");
      },
    };
    expect((await deliverDueMail(env, Date.now(), { ticketId: ticket.id, sender: broken })).failed).toBe(1);
    expect(
      await count("notifications", "ticket_id = ?1 AND outcome = 'gave_up' AND last_error LIKE '550%'", ticket.id),
    ).toBe(1);
    expect(await deliverDueMail(env, Date.now() + 86_400_000, { ticketId: ticket.id, sender: broken })).toEqual({
      sent: 0,
      skipped: 0,
      failed: 0,
    });
  });

  it("never sends a notice twice when two runs overlap", async () => {
    const { ticket } = await ticketWithUnsentNotice();
    let sends = 0;
    const slow: Sender = {
      name: "slow",
      async send() {
        sends++;
        await new Promise((r) => setTimeout(r, 50));
      },
    };
    const now = Date.now();
    await Promise.all([
      deliverDueMail(env, now, { sender: slow, ticketId: ticket.id }),
      deliverDueMail(env, now, { sender: slow, ticketId: ticket.id }),
    ]);
    expect(sends).toBe(1);
  });

  it("writes the outbox once when two runs overlap, with no lease (one conditional batch each)", async () => {
    const { t, ticket } = await ticketWithUnsentNotice();
    await env.DB.prepare("DELETE FROM outbox WHERE tenant_id = ?1").bind(t.id).run();
    const now = Date.now();
    const runs = await Promise.all([
      deliverDueMail(env, now, { ticketId: ticket.id }),
      deliverDueMail(env, now, { ticketId: ticket.id }),
    ]);
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);
    expect(await outbox(t.id)).toHaveLength(1);
  });

  it("records notices of a tenant that sends no mail as skipped, and sends nothing", async () => {
    const t = await newTenant();
    const ticket = (
      await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
        token: await t.token(),
        body: billingTicket,
      })
    ).body.ticket;
    const [notice] = await listNotifications(env.DB, { tenantId: t.id, ticketId: ticket.id });
    expect(notice!.sentAt).not.toBeNull();
    expect(await count("notifications", "id = ?1 AND outcome = 'skipped'", notice!.id)).toBe(1);
    expect(await outbox(t.id)).toEqual([]);
  });
});

describe("the HTTP mail API sender", () => {
  it("posts the filled template with the key and the notice id as Idempotency-Key, and fails on a non-2xx answer", async () => {
    const requests: Request[] = [];
    let status = 202;
    const sender = httpSender(
      {
        url: "https://mail-api.example/v1/send",
        key: "mk_test_123",
        template: { from: "{{from}}", to: ["{{to}}"], subject: "{{subject}}", raw: "{{raw}}" },
      },
      async (request) => {
        requests.push(request.clone());
        return new Response("{}", { status });
      },
    );
    const mail = {
      from: "support@northwind.example",
      to: "alice@example.com",
      subject: "[#1] Hi",
      messageId: "<m@x>",
      replyTo: null,
      text: "Hi",
      raw: "raw-mime",
    };
    await sender.send(mail, { id: "notice-1", tenantId: "t" }, Date.now());
    expect(requests[0]!.headers.get("authorization")).toBe("Bearer mk_test_123");
    expect(requests[0]!.headers.get("idempotency-key")).toBe("notice-1");
    expect(await requests[0]!.json()).toEqual({
      from: "support@northwind.example",
      to: ["alice@example.com"],
      subject: "[#1] Hi",
      raw: "raw-mime",
    });
    status = 503;
    await expect(sender.send(mail, { id: "notice-2", tenantId: "t" }, Date.now())).rejects.toThrow(/503/);
  });
});

describe("the send_email sender", () => {
  it("hands workerd's send_email binding a message it accepts", async () => {
    const { ticket } = await ticketWithUnsentNotice();
    const binding = (env as unknown as { EMAIL: SendEmail }).EMAIL;
    const stats = await deliverDueMail(env, Date.now(), { ticketId: ticket.id, sender: sendEmailSender(binding) });
    expect(stats).toEqual({ sent: 1, skipped: 0, failed: 0 });
  });
});

describe("who the mail is from", () => {
  const tenant = (name: string, productName: string | undefined, fromName?: string) =>
    ({
      id: "t",
      parentId: null,
      name,
      createdAt: 0,
      updatedAt: 0,
      config: TenantConfig.parse({
        branding: productName === undefined ? {} : { productName },
        email: { fromAddress: "support@northwind.example", ...(fromName && { fromName }) },
      }),
    }) satisfies Tenant;

  it("signs with the product's name as it is, never 'Northwind Support Support'", () => {
    expect(mailIdentity(tenant("Northwind Hosting", "Northwind Support"))?.fromName).toBe("Northwind Support");
  });

  it("names the team after the tenant when there is no product name, and takes a fromName as given", () => {
    expect(mailIdentity(tenant("Northwind Hosting", undefined))?.fromName).toBe("Northwind Hosting Support");
    expect(mailIdentity(tenant("Northwind Hosting", "Northwind Support", "Ada at Northwind"))?.fromName).toBe(
      "Ada at Northwind",
    );
  });
});
