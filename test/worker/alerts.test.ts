import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  type AlertPayload,
  deliverDueAlerts,
  escalateUnacknowledgedAlerts,
  type Transport,
} from "../../worker/alerts/delivery";
import { verifyWebhook } from "../../worker/alerts/signature";
import { readTenant } from "../../worker/db/tenants";
import worker from "../../worker/index";
import type { Tenant } from "../../worker/schemas/tenant";
import { uploaderOf } from "../../worker/tickets/access";
import { patchTicket } from "../../worker/tickets/change";
import { createTicket } from "../../worker/tickets/create";
import { addMessage } from "../../worker/tickets/reply";
import { api, billingTicket, count, newTenant, principal, queued, technicalTicket } from "./helpers";

const WEBHOOK_SECRET = "whsec-test-0123456789abcdef0123456789abcdef";
const PAGER = "http://127.0.0.1:9/pager";
const contacts = [
  { channel: "webhook", name: "On-call phone", url: PAGER },
  { channel: "email", name: "Backup on-call", email: "backup@host.example" },
];

/** New York instants (EST, UTC-5, in late November). */
const SATURDAY_10AM = Date.parse("2026-11-28T15:00:00Z");
const TUESDAY_10AM = Date.parse("2026-11-24T15:00:00Z");
const THANKSGIVING_10AM = Date.parse("2026-11-26T15:00:00Z");
const MINUTE = 60_000;

interface AlertRow {
  id: string;
  trigger: string;
  state: string;
  contact_index: number;
  attempts: number;
  next_attempt_at: number;
}

async function setup(extra: Record<string, unknown> = {}) {
  const t = await newTenant({
    config: {
      emergency: { priorities: ["high", "urgent"], ackWindowMinutes: 60, contacts, webhookSecret: WEBHOOK_SECRET },
      ...extra,
    } as never,
  });
  const tenant = (await readTenant(env.DB, t.id)) as Tenant;
  const customer = principal(t.id, "alice");
  const agent = principal(t.id, "bob");
  const file = (priority: string, now: number) =>
    createTicket(env, tenant, customer, { ...billingTicket, priority, fields: {} } as never, undefined, now, {
      source: "web",
      uploader: uploaderOf(customer),
    });
  const alertsOf = async (ticketId: string) =>
    (
      await env.DB.prepare("SELECT * FROM alerts WHERE ticket_id = ?1 ORDER BY created_at")
        .bind(ticketId)
        .all<AlertRow>()
    ).results;
  return { t, tenant, customer, agent, file, alertsOf };
}

/** A paging service: checks each delivery's signature and answers with the scripted statuses. */
function pager(statuses: number[] = []) {
  const received: {
    payload: AlertPayload;
    verified: boolean;
    idempotencyKey: string | null;
    body: string;
    signature: string | null;
  }[] = [];
  const transport: Transport = async (request) => {
    const body = await request.text();
    const signature = request.headers.get("edgedesk-signature");
    // Checked at the moment it was signed (the test's clock); freshness is tested on its own.
    const signedAt = Number(/t=(\d+)/.exec(signature ?? "")?.[1]);
    const verified = await verifyWebhook(WEBHOOK_SECRET, signature, body, signedAt);
    received.push({
      payload: JSON.parse(body) as AlertPayload,
      verified,
      idempotencyKey: request.headers.get("idempotency-key"),
      body,
      signature,
    });
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { received, transport };
}

describe("when an alert is raised", async () => {
  const s = await setup();

  it("alerts for a high ticket filed on Saturday at 10:00", async () => {
    const { ticket, alertIds } = await s.file("high", SATURDAY_10AM);
    const rows = await s.alertsOf(ticket.id);
    expect(rows.map((r) => [r.trigger, r.state])).toEqual([["created", "pending"]]);
    expect(alertIds).toEqual([rows[0]!.id]);
  });

  it("does not alert for a medium ticket on Saturday", async () => {
    const { ticket } = await s.file("medium", SATURDAY_10AM);
    expect(await s.alertsOf(ticket.id)).toEqual([]);
  });

  it("does not alert for a high ticket on Tuesday at 10:00 (support is open)", async () => {
    const { ticket } = await s.file("high", TUESDAY_10AM);
    expect(await s.alertsOf(ticket.id)).toEqual([]);
  });

  it("alerts on a holiday: urgent at 10:00 on Thanksgiving", async () => {
    const { ticket } = await s.file("urgent", THANKSGIVING_10AM);
    expect((await s.alertsOf(ticket.id)).map((r) => r.trigger)).toEqual(["created"]);
  });

  it("alerts when the customer replies after hours to a high ticket; a second reply while it is open does not page", async () => {
    const { ticket } = await s.file("high", TUESDAY_10AM);
    await addMessage(env, s.tenant, s.customer, ticket.id, { body: "Still down!", internal: false }, SATURDAY_10AM, {
      source: "web",
      uploader: uploaderOf(s.customer),
    });
    await addMessage(
      env,
      s.tenant,
      s.customer,
      ticket.id,
      { body: "Hello?", internal: false },
      SATURDAY_10AM + MINUTE,
      { source: "web", uploader: uploaderOf(s.customer) },
    );
    expect((await s.alertsOf(ticket.id)).map((r) => [r.trigger, r.state])).toEqual([
      ["customer_reply", "pending"],
      ["customer_reply", "suppressed"],
    ]);
  });

  it("alerts when staff raise a ticket to urgent after hours", async () => {
    const { ticket } = await s.file("low", SATURDAY_10AM);
    const { alertIds } = await patchTicket(
      env,
      s.tenant,
      s.agent,
      ticket.id,
      { priority: "urgent" },
      SATURDAY_10AM + MINUTE,
    );
    const rows = await s.alertsOf(ticket.id);
    expect(rows.map((r) => [r.trigger, r.state])).toEqual([["raised", "pending"]]);
    expect(alertIds).toEqual([rows[0]!.id]);
  });

  it("stops paging when an agent acts on the ticket", async () => {
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    await addMessage(
      env,
      s.tenant,
      s.agent,
      ticket.id,
      { body: "Looking now.", internal: true },
      SATURDAY_10AM + MINUTE,
      { source: "web", uploader: uploaderOf(s.agent) },
    );
    expect((await s.alertsOf(ticket.id)).map((r) => r.state)).toEqual(["acknowledged"]);
    const p = pager();
    await deliverDueAlerts(env, SATURDAY_10AM + 2 * MINUTE, { transport: p.transport });
    expect(p.received.filter((r) => r.payload.ticket.id === ticket.id)).toEqual([]);
  });
});

describe("delivering an alert", async () => {
  it("retries a failing webhook until it answers, delivering once, every try with the same alert id", async () => {
    const s = await setup();
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    const p = pager([503, 500, 502, 200]);
    let now = SATURDAY_10AM;
    const mine = () => p.received.filter((r) => r.payload.ticket.id === ticket.id);
    for (let i = 0; i < 12 && (await s.alertsOf(ticket.id))[0]?.state === "pending"; i++) {
      await deliverDueAlerts(env, now, { transport: p.transport });
      // A sweep before the backoff is over sends nothing.
      await deliverDueAlerts(env, now + 1000, { transport: p.transport });
      now += 16 * MINUTE;
    }
    const [alert] = await s.alertsOf(ticket.id);
    expect(alert?.state).toBe("delivered");
    expect(mine()).toHaveLength(4);
    expect(new Set(mine().map((r) => r.payload.alertId))).toEqual(new Set([alert!.id]));
    expect(new Set(mine().map((r) => r.idempotencyKey))).toEqual(new Set([`${alert!.id}.0`]));
    expect(mine().every((r) => r.verified)).toBe(true);
    expect(mine()[0]?.payload).toMatchObject({
      type: "edgedesk.alert",
      tenant: { id: s.t.id },
      ticket: { number: ticket.number, priority: "urgent", subject: ticket.subject },
    });
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 0", alert!.id)).toBe(3);
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 1", alert!.id)).toBe(1);
  });

  it("signs the body: the signature verifies with the tenant's secret and fails when the body changes", async () => {
    const s = await setup();
    await s.file("high", SATURDAY_10AM);
    const p = pager();
    await deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport });
    const delivery = p.received.find((r) => r.payload.tenant.id === s.t.id);
    const now = Number(/t=(\d+)/.exec(delivery!.signature ?? "")?.[1]);
    expect(await verifyWebhook(WEBHOOK_SECRET, delivery!.signature, delivery!.body, now)).toBe(true);
    expect(
      await verifyWebhook(WEBHOOK_SECRET, delivery!.signature, delivery!.body.replace('"high"', '"low"'), now),
    ).toBe(false);
    expect(await verifyWebhook("another-secret-0123456789abcdef0123", delivery!.signature, delivery!.body, now)).toBe(
      false,
    );
    // A replay an hour later is refused.
    expect(await verifyWebhook(WEBHOOK_SECRET, delivery!.signature, delivery!.body, now + 3600)).toBe(false);
  });

  it("pages once when two sweeps run at the same time", async () => {
    const s = await setup();
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    const p = pager();
    await Promise.all([
      deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport }),
      deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport }),
      deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport }),
    ]);
    expect(p.received.filter((r) => r.payload.ticket.id === ticket.id)).toHaveLength(1);
    expect((await s.alertsOf(ticket.id))[0]?.state).toBe("delivered");
  });

  it("leaves an alert acknowledged while its page was on the way acknowledged, and still logs the try", async () => {
    const s = await setup();
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    const p = pager();
    // The agent answers while the webhook call is in flight: the delivery's claim on the alert is lost.
    const acknowledging: Transport = async (request) => {
      await addMessage(env, s.tenant, s.agent, ticket.id, { body: "On it.", internal: false }, SATURDAY_10AM, {
        source: "web",
        uploader: uploaderOf(s.agent),
      });
      return p.transport(request);
    };
    await deliverDueAlerts(env, SATURDAY_10AM, { transport: acknowledging });
    const [alert] = await s.alertsOf(ticket.id);
    expect(p.received.filter((r) => r.payload.ticket.id === ticket.id)).toHaveLength(1);
    expect(alert?.state).toBe("acknowledged");
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 1", alert!.id)).toBe(1);
  });

  it("re-alerts the next contact when nobody acknowledges within the window, then stops", async () => {
    const s = await setup();
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    const p = pager();
    const mine = () => p.received.filter((r) => r.payload.ticket.id === ticket.id);
    await deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport });
    // 59 minutes: still waiting for the first contact.
    await escalateUnacknowledgedAlerts(env, SATURDAY_10AM + 59 * MINUTE);
    expect((await s.alertsOf(ticket.id))[0]).toMatchObject({ state: "delivered", contact_index: 0 });
    await escalateUnacknowledgedAlerts(env, SATURDAY_10AM + 60 * MINUTE);
    expect((await s.alertsOf(ticket.id))[0]).toMatchObject({ state: "pending", contact_index: 1 });
    await deliverDueAlerts(env, SATURDAY_10AM + 60 * MINUTE, { transport: p.transport });
    const [alert] = await s.alertsOf(ticket.id);
    expect(alert).toMatchObject({ state: "delivered", contact_index: 1 });
    // The second contact is an email: it goes to the mail outbox, with the acknowledgement link.
    const mail = await env.DB.prepare(
      "SELECT recipient, payload FROM notifications WHERE ticket_id = ?1 AND kind = 'alert'",
    )
      .bind(ticket.id)
      .all<{ recipient: string; payload: string }>();
    expect(mail.results.map((m) => m.recipient)).toEqual(["backup@host.example"]);
    expect(JSON.parse(mail.results[0]!.payload)).toMatchObject({ alertId: alert!.id, deliveryId: `${alert!.id}.1` });
    expect(mine()).toHaveLength(1);
    // Nobody left to page: the alert ends rather than looping.
    await escalateUnacknowledgedAlerts(env, SATURDAY_10AM + 121 * MINUTE);
    expect((await s.alertsOf(ticket.id))[0]?.state).toBe("exhausted");
  });
});

describe("acknowledging", async () => {
  it("through the signed link stops repeats and escalation; a GET alone never acknowledges", async () => {
    const s = await setup();
    const { ticket } = await s.file("urgent", SATURDAY_10AM);
    const p = pager();
    await deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport });
    const link = new URL(p.received.find((r) => r.payload.ticket.id === ticket.id)!.payload.acknowledgeUrl);
    const path = `${link.pathname}${link.search}`;

    const shown = await api<string>("GET", path);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain(`#${ticket.number}`);
    expect(shown.body).toContain("<button");
    expect((await s.alertsOf(ticket.id))[0]?.state).toBe("delivered");

    const done = await api<string>("POST", path);
    expect(done.status).toBe(200);
    expect(done.body).toContain("Acknowledged");
    expect((await s.alertsOf(ticket.id))[0]?.state).toBe("acknowledged");
    await escalateUnacknowledgedAlerts(env, SATURDAY_10AM + 3 * 60 * MINUTE);
    await deliverDueAlerts(env, SATURDAY_10AM + 3 * 60 * MINUTE, { transport: p.transport });
    expect((await s.alertsOf(ticket.id))[0]?.state).toBe("acknowledged");
    expect(p.received.filter((r) => r.payload.ticket.id === ticket.id)).toHaveLength(1);
  });

  it("refuses a link with a wrong or another alert's signature (404)", async () => {
    const s = await setup();
    const a = await s.file("urgent", SATURDAY_10AM);
    const b = await s.file("urgent", SATURDAY_10AM);
    const p = pager();
    await deliverDueAlerts(env, SATURDAY_10AM, { transport: p.transport });
    const sigOfA = new URL(
      p.received.find((r) => r.payload.ticket.id === a.ticket.id)!.payload.acknowledgeUrl,
    ).searchParams.get("sig");
    const alertB = (await s.alertsOf(b.ticket.id))[0]!.id;
    expect((await api("POST", `/api/v1/${s.t.id}/alerts/${alertB}/ack?sig=${sigOfA}`)).status).toBe(404);
    expect((await api("POST", `/api/v1/${s.t.id}/alerts/${alertB}/ack?sig=AAAA`)).status).toBe(404);
    expect((await s.alertsOf(b.ticket.id))[0]?.state).toBe("delivered");
  });
});

describe("through the API", () => {
  it("records the alert with the ticket and queues the page; a failed page is retried later", async () => {
    // A desk with no opening hours is always after hours.
    const t = await newTenant({
      config: {
        hours: {},
        emergency: { priorities: ["high", "urgent"], ackWindowMinutes: 60, contacts, webhookSecret: WEBHOOK_SECRET },
      } as never,
    });
    const token = await t.token();
    const q = queued();
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`https://desk.example.com/api/v1/${t.id}/tickets`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ ...technicalTicket, priority: "urgent" }),
      }),
      q.env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(201);
    // The request only queued the page (and the ticket's mail); the consumer tries it.
    expect(q.deliveries.sent).toContainEqual({ kind: "alert", id: expect.any(String) });
    await q.drain();
    const { ticket } = (await res.json()) as { ticket: { id: string; expectedResponse: { kind: string } } };
    expect(["on_call", "next_morning"]).toContain(ticket.expectedResponse.kind);
    const rows = (await env.DB.prepare("SELECT * FROM alerts WHERE ticket_id = ?1").bind(ticket.id).all<AlertRow>())
      .results;
    expect(rows).toHaveLength(1);
    // Nothing listens on 127.0.0.1:9, so the immediate try failed and was recorded for a retry.
    expect(rows[0]).toMatchObject({ state: "pending", attempts: 1 });
    expect(rows[0]!.next_attempt_at).toBeGreaterThan(Date.now());
    expect(await count("alert_attempts", "alert_id = ?1 AND ok = 0", rows[0]!.id)).toBe(1);
  });
});
