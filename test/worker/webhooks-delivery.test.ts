import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ackSignature } from "../../worker/alerts/signature";
import { serverSecret } from "../../worker/auth/seal";
import { readTenant } from "../../worker/db/tenants";
import { claimDelivery, dueDeliveries } from "../../worker/db/webhooks";
import { sweepAnsweredTickets } from "../../worker/jobs/auto-close";
import { consumeDeliveries, deliver, requeueStuck, STUCK_MS } from "../../worker/jobs/deliveries";
import { LEASE_MS } from "../../worker/retry";
import type { Tenant } from "../../worker/schemas/tenant";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import type { WebhookDeliveryList } from "../../worker/schemas/webhooks";
import { uploaderOf } from "../../worker/tickets/access";
import { createTicket } from "../../worker/tickets/create";
import { addMessage } from "../../worker/tickets/reply";
import { deliverDueWebhooks, WEBHOOK_TRIES } from "../../worker/webhooks/delivery";
import { ADMIN, api, billingTicket, fileUndelivered, newTenant, principal, queued } from "./helpers";
import { ALL_EVENTS, addEndpoint, receivers, verifiedBySpec } from "./webhook-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

let messages = 0;
const batchOf = (bodies: unknown[]) =>
  createMessageBatch(
    "edgedesk-deliveries",
    bodies.map((body) => ({ id: `wh-${messages++}`, timestamp: new Date(), attempts: 1, body })),
  );

const deliveries = (tenantId: string, query = "") =>
  api<WebhookDeliveryList>("GET", `/api/v1/admin/tenants/${tenantId}/webhooks/deliveries${query}`, { headers: ADMIN });

describe("webhook delivery", () => {
  it("retries a failing endpoint with growing waits, then records the delivery as failed with its last error", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, { url: "https://down.example/hook", events: ["ticket.created"] });
    const got = receivers({ "https://down.example/hook": 500 });
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: await t.token(),
      body: billingTicket,
    });
    expect(filed.status).toBe(201);
    expect(got.received).toHaveLength(1); // the first try, from the request's queued message

    let outcome = await deliver(env, { kind: "webhook", tenantId: t.id }, Date.now());
    expect(outcome.kind).toBe("later"); // in its backoff: nothing sent yet
    expect(got.received).toHaveLength(1);
    const waits: number[] = [];
    while (outcome.kind === "later") {
      const at = outcome.at;
      waits.push(at);
      outcome = await deliver(env, { kind: "webhook", tenantId: t.id }, at);
    }
    expect(outcome.kind).toBe("done");
    expect(got.received).toHaveLength(WEBHOOK_TRIES);
    expect(new Set(got.received.map((r) => r.id)).size).toBe(1); // one event, the same webhook-id on every try
    const gaps = waits.slice(1).map((at, i) => at - (waits[i] ?? 0));
    expect(gaps[0]).toBeLessThan(gaps.at(-1) ?? 0);

    const failed = await deliveries(t.id, "?status=failed");
    expect(failed.body.deliveries).toMatchObject([
      {
        eventId: got.received[0]?.id,
        type: "ticket.created",
        status: "failed",
        attempts: WEBHOOK_TRIES,
        responseCode: 500,
        lastError: "HTTP 500",
        nextAttemptAt: null,
      },
    ]);
    // Nothing more is tried once it failed.
    expect(await deliver(env, { kind: "webhook", tenantId: t.id }, Date.now() + 86_400_000)).toEqual({ kind: "done" });
    expect(got.received).toHaveLength(WEBHOOK_TRIES);
  });

  it("sends once when the queue delivers a message twice, even at the same time", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, { url: "https://crm.example/once", events: ["ticket.created"] });
    const got = receivers();
    const q = queued();
    await fileUndelivered(q, t.id, await t.token());
    const bodies = q.deliveries.take();
    expect(bodies).toContainEqual({ kind: "webhook", tenantId: t.id });
    const webhookOnly = bodies.filter((b) => (b as { kind: string }).kind === "webhook");
    const [first, second] = [batchOf(webhookOnly), batchOf(webhookOnly)];
    await Promise.all([consumeDeliveries(first, q.env, Date.now()), consumeDeliveries(second, q.env, Date.now())]);
    const again = batchOf(webhookOnly);
    await consumeDeliveries(again, q.env, Date.now());
    expect((await getQueueResult(again, createExecutionContext())).explicitAcks).toHaveLength(1);
    expect(got.types("https://crm.example/once")).toEqual(["ticket.created"]);
    expect((await deliveries(t.id)).body.deliveries).toMatchObject([
      { status: "delivered", attempts: 1, responseCode: 200 },
    ]);
  });

  it("leaves a delivery leased by a consumer that died alone until its lease ends, then sends it once", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, { url: "https://crm.example/lease", events: ["ticket.created"] });
    const got = receivers();
    const q = queued();
    await fileUndelivered(q, t.id, await t.token());
    const now = Date.now();
    const [due] = await dueDeliveries(env.DB, t.id, now, 10);
    expect(due && (await claimDelivery(env.DB, due, now))).toBeTruthy(); // then the consumer died
    expect(await deliverDueWebhooks(env.DB, t.id, now + 1_000)).toEqual([]);
    expect(await deliverDueWebhooks(env.DB, t.id, now + LEASE_MS)).toHaveLength(1);
    expect(await deliverDueWebhooks(env.DB, t.id, now + 2 * LEASE_MS)).toEqual([]);
    expect(got.received).toHaveLength(1);
  });

  it("is queued again by the cron when its message was lost", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, { url: "https://crm.example/lost", events: ["ticket.created"] });
    const q = queued();
    await fileUndelivered(q, t.id, await t.token());
    q.deliveries.take(); // the enqueue "failed"
    await requeueStuck(q.env, Date.now() + STUCK_MS + 1_000);
    expect(q.deliveries.take()).toContainEqual({ kind: "webhook", tenantId: t.id });
  });
});

describe("auto-close webhooks", () => {
  it("sends ticket.status_changed when the sweep closes an answered ticket", async () => {
    const t = await newTenant();
    await addEndpoint(t.id, { url: "https://crm.example/closed", events: ["ticket.status_changed"] });
    const got = receivers();
    const filed = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      token: await t.token(),
      body: billingTicket,
    });
    const id = filed.body.ticket.id;
    const agent = await t.token({ sub: "agent-1", name: "Agent One", email: "a1@host.example", role: "agent" });
    await api("POST", `/api/v1/${t.id}/tickets/${id}/messages`, { token: agent, body: { body: "Done." } });
    const now = Date.now();
    await env.DB.prepare("UPDATE tickets SET answered_at = ?2 WHERE id = ?1")
      .bind(id, now - 100 * 3_600_000)
      .run();
    const swept = await sweepAnsweredTickets(env.DB, now);
    expect(swept.closedIn).toContain(t.id);
    await deliverDueWebhooks(env.DB, t.id, now);
    expect(got.at("https://crm.example/closed").map((r) => r.data.change)).toMatchObject([
      { from: "open", to: "answered" },
      { from: "answered", to: "closed", by: { kind: "system" } },
    ]);
    expect(got.at("https://crm.example/closed").at(-1)?.data.ticket).toMatchObject({ id, status: "closed" });
  });
});

/** New York, Saturday 10:00 (EST): after hours. */
const SATURDAY_10AM = Date.parse("2026-11-28T15:00:00Z");

describe("alert webhooks", () => {
  it("sends alert.raised when an urgent ticket pages after hours, and alert.acknowledged when staff answer or the link is used", async () => {
    const t = await newTenant({
      config: {
        emergency: {
          priorities: ["urgent"],
          ackWindowMinutes: 60,
          contacts: [{ channel: "webhook", name: "Pager", url: "https://pager.example/page" }],
          webhookSecret: "whsec-pager-0123456789abcdef0123456789",
        },
      } as never,
    });
    const endpoint = await addEndpoint(t.id, { url: "https://status.example/alerts", events: ALL_EVENTS });
    const got = receivers();
    const tenant = (await readTenant(env.DB, t.id)) as Tenant;
    const customer = principal(t.id, "alice");
    const fileUrgent = (now: number) =>
      createTicket(
        env,
        tenant,
        customer,
        { ...billingTicket, priority: "urgent", fields: {} } as never,
        undefined,
        now,
        { source: "web", uploader: uploaderOf(customer) },
      );
    const first = await fileUrgent(SATURDAY_10AM);
    const bob = principal(t.id, "bob");
    await addMessage(env, tenant, bob, first.ticket.id, { body: "Looking now." } as never, SATURDAY_10AM + 60_000, {
      source: "web",
      uploader: uploaderOf(bob),
    });
    const second = await fileUrgent(SATURDAY_10AM + 120_000);
    const [alertId] = second.alertIds;
    const sig = await ackSignature(serverSecret(env), t.id, alertId ?? "");
    const acked = await api("POST", `/api/v1/${t.id}/alerts/${alertId}/ack?sig=${sig}`);
    expect(acked.status).toBe(200);
    await deliverDueWebhooks(env.DB, t.id, Date.now());

    const events = got.at("https://status.example/alerts");
    const when = (body: string) => (JSON.parse(body) as { timestamp: string }).timestamp;
    const alerts = events
      .filter((r) => r.type.startsWith("alert."))
      .sort((a, b) => when(a.body).localeCompare(when(b.body)));
    expect(alerts.map((r) => [r.type, r.data.alert, r.data.ticket?.id])).toMatchObject([
      ["alert.raised", { id: first.alertIds[0], trigger: "created", priority: "urgent" }, first.ticket.id],
      ["alert.acknowledged", { id: first.alertIds[0], acknowledgedBy: "Bob" }, first.ticket.id],
      ["alert.raised", { id: alertId }, second.ticket.id],
      ["alert.acknowledged", { id: alertId, acknowledgedBy: "acknowledgement link" }, second.ticket.id],
    ]);
    for (const r of events) expect(await verifiedBySpec(endpoint.secret, r)).toBe(true);
  });
});
