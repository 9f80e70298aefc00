/**
 * D1 round trips of the DELIVERIES queue's consumer for one created ticket's notice
 * (docs/benchmarks.md): locally it shares workerd with the requests, on Cloudflare each round
 * trip is a wait, so its cost is pinned here like the routes' in round-trips.test.ts.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Transport } from "../../worker/alerts/delivery";
import { readTenant } from "../../worker/db/tenants";
import type { Sender } from "../../worker/email/senders";
import { deliver } from "../../worker/jobs/deliveries";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import { cachedTenantWithKeys, forgetTenant } from "../../worker/middleware/tenant-cache";
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

  it("reads the tenant from the isolate's cache: 6 for a warm tenant (was 7), the page sent once", async () => {
    const t = await newTenant({
      config: {
        emergency: {
          priorities: ["urgent"],
          ackWindowMinutes: 60,
          contacts: [{ channel: "webhook", name: "Pager", url: "https://pager.example/hook" }],
          webhookSecret: "whsec-queue-0123456789abcdef0123456789",
        },
      } as never,
    });
    const tenant = (await readTenant(env.DB, t.id)) as Tenant;
    const customer = principal(t.id, "alice");
    const { alertIds } = await createTicket(
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
    const counts = noD1Counts();
    const db = countingD1(env.DB, counts);
    const outcome = await deliver({ ...q.env, DB: db }, { kind: "alert", id }, SATURDAY_10AM, { transport });
    // The alert; the due ones; its claim; the ticket; delivered and logged; the alert again.
    expect({ outcome: outcome.kind, roundTrips: counts.calls }).toEqual({ outcome: "done", roundTrips: 6 });
    expect(pages).toEqual(["https://pager.example/hook"]);
    await deliver({ ...q.env, DB: db }, { kind: "alert", id }, SATURDAY_10AM + 1000, { transport });
    expect(pages).toHaveLength(1);
  });
});
