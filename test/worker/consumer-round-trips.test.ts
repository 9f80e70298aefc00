/**
 * D1 round trips of the DELIVERIES queue's consumer for one created ticket's notice and one after-hours page
 * (docs/benchmarks.md): locally it shares workerd with the requests, on Cloudflare each round
 * trip is a wait, so its cost is pinned here like the routes' in round-trips.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Transport } from "../../worker/alerts/delivery";
import { acknowledgeAlert } from "../../worker/db/alerts";
import { readTenant } from "../../worker/db/tenants";
import type { Sender } from "../../worker/email/senders";
import { deliver } from "../../worker/jobs/deliveries";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import { cachedTenantWithKeys, forgetTenant } from "../../worker/middleware/tenant-cache";
import { retryDelayMs } from "../../worker/retry";
import type { Tenant } from "../../worker/schemas/tenant";
import { uploaderOf } from "../../worker/tickets/access";
import { createTicket } from "../../worker/tickets/create";
import { billingTicket, count, fileUndelivered, newTenant, principal, queued } from "./helpers";

const northwind = {
  email: { fromAddress: "support@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
};

const outboxed = (ticketId: string) =>
  count("outbox", "notification_id IN (SELECT id FROM notifications WHERE ticket_id = ?1)", ticketId);

/** An outside sender (http, send_email): it records what it accepted. */
function recordingSender(): Sender & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: "recording",
    sent,
    async send(mail) {
      sent.push(mail.to);
    },
  };
}

describe("the queue consumer's D1 round trips for one notice", async () => {
  const t = await newTenant({ config: northwind });
  const alice = await t.token();

  /** Files a ticket (which warms the tenant in this isolate) and returns its queued delivery. */
  async function created() {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    const [delivery] = q.deliveries.take();
    expect(delivery).toEqual({ kind: "mail", ticketId });
    return { q, ticketId, delivery: { kind: "mail" as const, ticketId } };
  }

  /** Delivers `ticketId`'s message once through a counting D1: its outcome and round trips. */
  async function delivered(q: ReturnType<typeof queued>, ticketId: string, sender?: Sender) {
    const counts = noD1Counts();
    const outcome = await deliver(
      { ...q.env, DB: countingD1(env.DB, counts) },
      { kind: "mail", ticketId },
      Date.now(),
      { sender },
    );
    return { outcome: outcome.kind, roundTrips: counts.calls };
  }

  it("sends through the outbox in 2 (read the due notices; write claim + mail + read what is next), once", async () => {
    const { q, ticketId } = await created();
    expect(await delivered(q, ticketId)).toEqual({ outcome: "done", roundTrips: 2 });
    expect(await outboxed(ticketId)).toBe(1);
    // The same message again: nothing is due, so the read and "anything still due?", and no mail.
    expect(await delivered(q, ticketId)).toEqual({ outcome: "done", roundTrips: 2 });
    expect(await outboxed(ticketId)).toBe(1);
  });

  it("adds one round trip for a tenant this isolate does not hold (cold, or just changed)", async () => {
    const { q, ticketId } = await created();
    forgetTenant(t.id);
    expect(await delivered(q, ticketId)).toEqual({ outcome: "done", roundTrips: 3 });
    expect(await outboxed(ticketId)).toBe(1);
  });

  it("sends through an outside sender in 3 (read; claim with a lease; mark sent + read what is next), once", async () => {
    const { q, ticketId } = await created();
    const sender = recordingSender();
    expect(await delivered(q, ticketId, sender)).toEqual({ outcome: "done", roundTrips: 3 });
    expect(sender.sent).toEqual(["alice@example.com"]);
    expect(await delivered(q, ticketId, sender)).toEqual({ outcome: "done", roundTrips: 2 });
    expect(sender.sent).toHaveLength(1);
    expect(await outboxed(ticketId)).toBe(0);
  });
});

describe("the queue consumer's D1 round trips for one after-hours page", () => {
  /** New York, Saturday 10:00 (EST): after hours. */
  const SATURDAY_10AM = Date.parse("2026-11-28T15:00:00Z");
  type Contact = { channel: "webhook"; name: string; url: string } | { channel: "email"; name: string; email: string };

  /** An urgent ticket filed after hours for a tenant paging `contact`, warm in this isolate: its alert, ready to deliver. */
  async function paging(contact: Contact) {
    const t = await newTenant({
      config: {
        emergency: {
          priorities: ["urgent"],
          ackWindowMinutes: 60,
          contacts: [contact],
          webhookSecret: "whsec-queue-0123456789abcdef0123456789",
        },
      } as never,
    });
    const tenant = (await readTenant(env.DB, t.id)) as Tenant;
    const customer = principal(t.id, "alice");
    const { ticket, alertIds } = await createTicket(
      env,
      tenant,
      customer,
      { ...billingTicket, priority: "urgent", fields: {} } as never,
      undefined,
      SATURDAY_10AM,
      { source: "web", uploader: uploaderOf(customer) },
    );
    const [id] = alertIds;
    if (!id) throw new Error("an urgent ticket after hours raises an alert");
    const pages: string[] = [];
    const transport: Transport = async (request) => {
      pages.push(request.url);
      return new Response(null, { status: 200 });
    };
    // As a request of the tenant's would have left it in this isolate.
    await cachedTenantWithKeys(env.DB, t.id, SATURDAY_10AM);
    const q = queued();
    /** Delivers the alert's message once through a counting D1, at `at`: its outcome and round trips. */
    const deliverAt = async (at: number, through = transport) => {
      const counts = noD1Counts();
      const outcome = await deliver({ ...q.env, DB: countingD1(env.DB, counts) }, { kind: "alert", id }, at, {
        transport: through,
      });
      return {
        outcome: outcome.kind,
        roundTrips: counts.calls,
        ...(outcome.kind === "later" ? { at: outcome.at } : {}),
      };
    };
    return { id, tenantId: t.id, ticketId: ticket.id, pages, q, deliverAt };
  }

  // Before: 6 for either contact (the alert; the due ones; its claim; the ticket; the try recorded; the alert again).
  it("pages a webhook contact in 3 for a warm tenant (alert + ticket; claim; try recorded + alert read back), once", async () => {
    const p = await paging({ channel: "webhook", name: "Pager", url: "https://pager.example/hook" });
    expect(await p.deliverAt(SATURDAY_10AM)).toEqual({ outcome: "done", roundTrips: 3 });
    expect(p.pages).toEqual(["https://pager.example/hook"]);
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 1", p.id)).toBe(1);
    // The same message again: the alert was delivered, so one read and no page.
    expect(await p.deliverAt(SATURDAY_10AM + 1000)).toEqual({ outcome: "done", roundTrips: 1 });
    expect(p.pages).toHaveLength(1);
  });

  it("pages an email contact in 3 too (its notice written with the try), and queues the mail", async () => {
    const p = await paging({ channel: "email", name: "On call", email: "oncall@northwind.example" });
    expect(await p.deliverAt(SATURDAY_10AM)).toEqual({ outcome: "done", roundTrips: 3 });
    expect(p.pages).toEqual([]);
    expect(await count("notifications", "ticket_id = ?1 AND kind = 'alert'", p.ticketId)).toBe(1);
    expect(p.q.deliveries.take()).toContainEqual({ kind: "mail", ticketId: p.ticketId });
  });

  it("a failed page costs the same 3 and answers when to try again", async () => {
    const p = await paging({ channel: "webhook", name: "Pager", url: "https://pager.example/hook" });
    const down: Transport = async () => new Response(null, { status: 503 });
    expect(await p.deliverAt(SATURDAY_10AM, down)).toEqual({
      outcome: "later",
      at: SATURDAY_10AM + retryDelayMs(1),
      roundTrips: 3,
    });
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 0", p.id)).toBe(1);
  });

  // One more round trip (the lost change, then the try logged with the alert read back); countingD1 does not count a batch that throws.
  it("an alert acknowledged while its page is out: the try still logged, done, paged once", async () => {
    const p = await paging({ channel: "webhook", name: "Pager", url: "https://pager.example/hook" });
    const acknowledging: Transport = async (request) => {
      p.pages.push(request.url);
      expect(await acknowledgeAlert(env.DB, p.tenantId, p.id, "agent:bob", SATURDAY_10AM)).toBe(true);
      return new Response(null, { status: 200 });
    };
    expect((await p.deliverAt(SATURDAY_10AM, acknowledging)).outcome).toBe("done");
    expect(await count("alerts", "id = ?1 AND state = 'acknowledged'", p.id)).toBe(1);
    expect(await count("alert_attempts", "alert_id = ?1", p.id)).toBe(1);
    expect(await p.deliverAt(SATURDAY_10AM + 1000)).toEqual({ outcome: "done", roundTrips: 1 });
    expect(p.pages).toHaveLength(1);
  });
});
