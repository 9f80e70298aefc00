import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AlertPayload, Transport } from "../../worker/alerts/delivery";
import { readTenant } from "../../worker/db/tenants";
import { consumeDeliveries } from "../../worker/jobs/deliveries";
import { runScheduledJobs } from "../../worker/jobs/scheduled";
import type { Tenant } from "../../worker/schemas/tenant";
import { uploaderOf } from "../../worker/tickets/access";
import { createTicket } from "../../worker/tickets/create";
import { billingTicket, count, newTenant, principal, queued } from "./helpers";

/** New York, Saturday 10:00 (EST): after hours. */
const SATURDAY_10AM = Date.parse("2026-11-28T15:00:00Z");
const MINUTE = 60_000;

/** A tenant paging `contacts` after hours, and a way to file an urgent ticket there at an instant. */
async function desk(contacts: Record<string, string>[]) {
  const t = await newTenant({
    config: {
      email: { fromAddress: "support@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
      emergency: {
        priorities: ["urgent"],
        ackWindowMinutes: 60,
        contacts,
        webhookSecret: "whsec-queue-0123456789abcdef0123456789",
      },
    } as never,
  });
  const tenant = (await readTenant(env.DB, t.id)) as Tenant;
  const customer = principal(t.id, "alice");
  const fileUrgent = (now: number) =>
    createTicket(env, tenant, customer, { ...billingTicket, priority: "urgent", fields: {} } as never, undefined, now, {
      source: "web",
      uploader: uploaderOf(customer),
    });
  return { fileUrgent };
}

/** A paging service answering with the scripted statuses (then 200). */
function pager(statuses: number[] = []) {
  const received: AlertPayload[] = [];
  const transport: Transport = async (request) => {
    received.push((await request.json()) as AlertPayload);
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { received, transport };
}

const alertState = (id: string) =>
  env.DB.prepare("SELECT state, contact_index, attempts FROM alerts WHERE id = ?1")
    .bind(id)
    .first<{ state: string; contact_index: number; attempts: number }>();

describe("after-hours alerts on the delivery queue", () => {
  it("pages a webhook once per alert: a failed page comes back after its backoff, a redelivered message pages no one", async () => {
    const { fileUrgent } = await desk([{ channel: "webhook", name: "Pager", url: "https://pager.example/hook" }]);
    const { alertIds } = await fileUrgent(SATURDAY_10AM);
    const [id] = alertIds;
    const p = pager([503]);

    const first = createMessageBatch("edgedesk-deliveries", [
      { id: "a1", timestamp: new Date(SATURDAY_10AM), attempts: 1, body: { kind: "alert", id } },
    ]);
    const delays: (number | undefined)[] = [];
    const retry = first.messages[0]!.retry.bind(first.messages[0]);
    first.messages[0]!.retry = (options) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
    const q = queued();
    await consumeDeliveries(first, q.env, SATURDAY_10AM, { transport: p.transport });
    expect((await getQueueResult(first, createExecutionContext())).retryMessages).toHaveLength(1);
    expect(delays).toEqual([30]);
    expect(await alertState(id!)).toMatchObject({ state: "pending", attempts: 1 });

    // The retry, and a duplicate of it: one more page, then nothing.
    await q.deliveries.sendBatch([{ body: { kind: "alert", id } }, { body: { kind: "alert", id } }]);
    await q.drain(SATURDAY_10AM + 30_000, { transport: p.transport });
    await q.deliveries.send({ kind: "alert", id });
    await q.drain(SATURDAY_10AM + 31_000, { transport: p.transport });
    expect(p.received).toHaveLength(2);
    expect(await alertState(id!)).toMatchObject({ state: "delivered", attempts: 2 });
  });

  it("pages an email contact with a notice, whose mail the consumer queues and sends", async () => {
    const { fileUrgent } = await desk([{ channel: "email", name: "Backup on-call", email: "backup@host.example" }]);
    const { ticket, alertIds } = await fileUrgent(SATURDAY_10AM);
    const q = queued();
    await q.deliveries.send({ kind: "alert", id: alertIds[0] });
    await q.drain(SATURDAY_10AM + 1000);
    expect(await alertState(alertIds[0]!)).toMatchObject({ state: "delivered" });
    expect(
      await count(
        "outbox",
        "mail_to = 'backup@host.example' AND notification_id IN (SELECT id FROM notifications WHERE ticket_id = ?1)",
        ticket.id,
      ),
    ).toBe(1);
  });

  it("the cron queues an escalation to the next contact, which the consumer pages", async () => {
    const { fileUrgent } = await desk([
      { channel: "webhook", name: "First", url: "https://pager.example/first" },
      { channel: "webhook", name: "Second", url: "https://pager.example/second" },
    ]);
    const { alertIds } = await fileUrgent(SATURDAY_10AM);
    const [id] = alertIds;
    const p = pager();
    const q = queued();
    await q.deliveries.send({ kind: "alert", id });
    await q.drain(SATURDAY_10AM, { transport: p.transport });
    expect(p.received.map((r) => r.contact.name)).toEqual(["First"]);

    await runScheduledJobs(q.env, SATURDAY_10AM + 60 * MINUTE);
    expect(q.deliveries.sent).toContainEqual({ kind: "alert", id });
    await q.drain(SATURDAY_10AM + 60 * MINUTE, { transport: p.transport });
    expect(p.received.map((r) => r.contact.name)).toEqual(["First", "Second"]);
    expect(await alertState(id!)).toMatchObject({ state: "delivered", contact_index: 1 });
  });
});
