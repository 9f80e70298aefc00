import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { claimNotification } from "../../worker/db/notifications";
import type { Sender } from "../../worker/email/senders";
import worker from "../../worker/index";
import { consumeDeliveries, QUEUE_TRIES, STUCK_MS } from "../../worker/jobs/deliveries";
import { runScheduledJobs } from "../../worker/jobs/scheduled";
import { LEASE_MS } from "../../worker/retry";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { billingTicket, count, fileUndelivered, newTenant, queued } from "./helpers";

const northwind = {
  email: { fromAddress: "support@northwind.example", newTicketsByEmail: false, departmentsByAddress: {} },
};

const outboxed = (ticketId: string) =>
  count("outbox", "notification_id IN (SELECT id FROM notifications WHERE ticket_id = ?1)", ticketId);
const unsent = (ticketId: string) => count("notifications", "ticket_id = ?1 AND sent_at IS NULL", ticketId);

let ids = 0;
/** A batch as the platform hands it to queue(), each body a message on its `attempts`-th delivery. */
function batchOf(bodies: unknown[], attempts = 1) {
  return createMessageBatch(
    "edgedesk-deliveries",
    bodies.map((body) => ({ id: `msg-${ids++}`, timestamp: new Date(), attempts, body })),
  );
}

/** Runs the Worker's exported queue() over `batch`, as the platform would, and returns what it acked and retried. */
async function consume(batch: MessageBatch, bindings: typeof env) {
  await worker.queue(batch, bindings);
  return getQueueResult(batch, createExecutionContext());
}

/** The delays a batch's messages were retried with (getQueueResult reports which, not how long). */
function retryDelays(batch: MessageBatch) {
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    message.retry = (options) => {
      delays.push(options?.delaySeconds);
      retry(options);
    };
  }
  return delays;
}

/** A sender outside D1 that counts what it accepted (so a lease, not a D1 change, guards it). */
function countingSender(fail = false): Sender & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: "counting",
    sent,
    async send(mail) {
      if (fail) throw new Error("421 try again later");
      sent.push(mail.messageId);
    },
  };
}

describe("the delivery queue", async () => {
  const t = await newTenant({ config: northwind });
  const alice = await t.token();

  it("creating a ticket records its notice and only queues it: nothing is sent on the request's path", async () => {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    expect(q.deliveries.sent).toEqual([{ kind: "mail", ticketId }]);
    expect(await unsent(ticketId)).toBe(1);
    expect(await outboxed(ticketId)).toBe(0);

    const result = await consume(batchOf(q.deliveries.take()), q.env);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await unsent(ticketId)).toBe(0);
    expect(await outboxed(ticketId)).toBe(1);
  });

  it("retries a batch whose consumer throws, and the retry sends each notice once", async () => {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    const broken = {
      ...q.env,
      DB: new Proxy(env.DB, {
        get: () => () => {
          throw new Error("D1_ERROR: database unavailable");
        },
      }),
    };
    const bodies = q.deliveries.take();
    const batch = batchOf(bodies);
    const delays = retryDelays(batch);
    const failed = await consume(batch, broken);
    expect(failed.explicitAcks).toEqual([]);
    expect(failed.retryMessages).toHaveLength(1);
    expect(delays).toEqual([30]);
    expect(await unsent(ticketId)).toBe(1);

    const retried = await consume(batchOf(bodies, 2), q.env);
    expect(retried.explicitAcks).toHaveLength(1);
    expect(await outboxed(ticketId)).toBe(1);
  });

  it("sends a message delivered twice (or twice at once) once", async () => {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    const [body] = q.deliveries.take();
    await Promise.all([consume(batchOf([body, body]), q.env), consume(batchOf([body]), q.env)]);
    await consume(batchOf([body]), q.env);
    expect(await outboxed(ticketId)).toBe(1);

    // The same through a sender outside D1, where the notice's lease is what guards it.
    const q2 = queued();
    const other = await fileUndelivered(q2, t.id, alice);
    const sender = countingSender();
    const [again] = q2.deliveries.take();
    const now = Date.now();
    await Promise.all([
      q2.deliveries.send(again).then(() => q2.drain(now, { sender })),
      q2.deliveries.send(again).then(() => q2.drain(now, { sender })),
    ]);
    await q2.deliveries.send(again);
    await q2.drain(now + 1000, { sender });
    expect(sender.sent).toHaveLength(1);
    expect(await unsent(other)).toBe(0);
  });

  it("dead-letters a poison message with its reason, and acks it", async () => {
    const q = queued();
    const gone = "00000000-0000-4000-8000-000000000000";
    const result = await consume(batchOf([{ kind: "alert", id: gone }, "not json we know", { kind: "mail" }]), q.env);
    expect(result.explicitAcks).toHaveLength(3);
    expect(result.retryMessages).toEqual([]);
    expect(q.deadLetters.sent).toHaveLength(3);
    expect(q.deadLetters.sent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ body: { kind: "alert", id: gone }, reason: `alert ${gone} does not exist` }),
        expect.objectContaining({ body: "not json we know", reason: expect.stringMatching(/^not a delivery/) }),
        expect.objectContaining({ body: { kind: "mail" }, reason: expect.stringMatching(/^not a delivery/) }),
      ]),
    );
  });

  it("retries a failed send when the notice is due again, and leaves a lasting failure to the cron", async () => {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    const [body] = q.deliveries.take();
    const now = Date.now();
    const batch = batchOf([body]);
    const delays = retryDelays(batch);
    await consumeDeliveries(batch, q.env, now, { sender: countingSender(true) });
    // The row's first backoff is 30 s: the message comes back then.
    expect((await getQueueResult(batch, createExecutionContext())).retryMessages).toHaveLength(1);
    expect(delays).toEqual([30]);
    expect(await count("notifications", "ticket_id = ?1 AND attempts = 1 AND sent_at IS NULL", ticketId)).toBe(1);

    const last = batchOf([body], QUEUE_TRIES);
    await consumeDeliveries(last, q.env, now + 30_000, { sender: countingSender(true) });
    const handedOver = await getQueueResult(last, createExecutionContext());
    expect(handedOver.retryMessages).toEqual([]);
    expect(handedOver.explicitAcks).toHaveLength(1);
    expect(q.deadLetters.sent).toEqual([]);
    // Still unsent and recorded: the cron queues it again once it has been due for a minute.
    await runScheduledJobs(q.env, now + 30_000 + 60_000 + STUCK_MS);
    expect(q.deliveries.sent).toContainEqual({ kind: "mail", ticketId });
  });

  it("loses nothing when a consumer dies holding a notice: the message comes back after the lease and sends once", async () => {
    const q = queued();
    const ticketId = await fileUndelivered(q, t.id, alice);
    const [body] = q.deliveries.take();
    const sender = countingSender();
    const now = Date.now();
    // A consumer took the notice for its send and died before it recorded anything.
    const [notice] = (
      await env.DB.prepare("SELECT id FROM notifications WHERE ticket_id = ?1").bind(ticketId).all<{ id: string }>()
    ).results;
    expect(await claimNotification(env.DB, notice!.id, now, LEASE_MS)).not.toBeNull();

    // The platform redelivers the unacked message: the notice is leased, so it waits for the lease to end.
    const redelivered = batchOf([body], 2);
    const delays = retryDelays(redelivered);
    await consumeDeliveries(redelivered, q.env, now + 1000, { sender });
    expect((await getQueueResult(redelivered, createExecutionContext())).retryMessages).toHaveLength(1);
    expect(delays).toEqual([(LEASE_MS - 1000) / 1000]);
    expect(sender.sent).toEqual([]);
    await q.deliveries.send(body);
    await q.drain(now + LEASE_MS, { sender });
    expect(sender.sent).toHaveLength(1);
    expect(await unsent(ticketId)).toBe(0);
  });

  it("a notice whose enqueue failed is queued again by the cron once it has been due for a minute", async () => {
    const q = queued();
    const failing = {
      ...q.env,
      DELIVERIES: {
        send: () => Promise.reject(new Error("queue unavailable")),
        sendBatch: () => Promise.reject(new Error("queue unavailable")),
      },
    } as unknown as typeof env;
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`https://desk.example.com/api/v1/${t.id}/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${alice}`, "content-type": "application/json" },
        body: JSON.stringify(billingTicket),
      }),
      failing,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(201);
    const ticketId = ((await res.json()) as CreateTicketResponse).ticket.id;
    expect(await unsent(ticketId)).toBe(1);

    const now = Date.now();
    await runScheduledJobs(q.env, now);
    expect(q.deliveries.sent).not.toContainEqual({ kind: "mail", ticketId });
    await runScheduledJobs(q.env, now + STUCK_MS + 1000);
    expect(q.deliveries.sent).toContainEqual({ kind: "mail", ticketId });
    await q.drain(now + STUCK_MS + 1000);
    expect(await outboxed(ticketId)).toBe(1);
  });

  it("runs as wrangler.toml configures it: a message sent through the real binding is consumed by this Worker", async () => {
    const ticketId = await fileUndelivered(queued(), t.id, alice);
    await env.DELIVERIES.send({ kind: "mail", ticketId });
    await vi.waitFor(async () => expect(await outboxed(ticketId)).toBe(1), { timeout: 10_000, interval: 100 });
  });
});

describe("the request path with a notice", () => {
  /** The SQL a request runs (its waitUntil work included), through a D1 binding that notes each statement. */
  async function statementsOfCreating(tenantId: string, token: string): Promise<string[]> {
    const sql: string[] = [];
    const db = new Proxy(env.DB, {
      get(target, key) {
        const value = Reflect.get(target, key);
        if (key === "prepare")
          return (query: string) => {
            sql.push(query);
            return target.prepare(query);
          };
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const q = queued();
    await fileUndelivered({ ...q, env: { ...q.env, DB: db } }, tenantId, token);
    expect(q.deliveries.sent).toHaveLength(1);
    return sql;
  }

  it("costs no more than without one: the notice is written in the change's batch and queued, never read or sent", async () => {
    const mailing = await newTenant({ config: northwind });
    const silent = await newTenant();
    const withNotice = await statementsOfCreating(mailing.id, await mailing.token());
    const withoutMail = await statementsOfCreating(silent.id, await silent.token());
    expect(withNotice).toEqual(withoutMail);
    expect(withNotice.filter((s) => /\boutbox\b|FROM notifications|UPDATE notifications/i.test(s))).toEqual([]);
  });
});
