import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { z } from "@hono/zod-openapi";
import type { Principal } from "../../worker/auth/principal";
import { signEmbedToken } from "../../worker/auth/token";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { consumeDeliveries, type DeliveryOptions } from "../../worker/jobs/deliveries";
import { RateLimits } from "../../worker/schemas/limits";
import type { TenantConfig } from "../../worker/schemas/tenant";

export const ADMIN = { authorization: `Bearer ${env.ADMIN_SECRET}` };
export const ORIGIN = "https://panel.example.com";

export interface ApiResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A queue that keeps what is sent to it, for a test to deliver when it chooses. */
export class RecordingQueue<Body> {
  sent: Body[] = [];
  async send(body: Body): Promise<QueueSendResponse> {
    this.sent.push(body);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date() } } };
  }
  async sendBatch(messages: Iterable<MessageSendRequest<Body>>): Promise<QueueSendBatchResponse> {
    for (const m of messages) this.sent.push(m.body);
    return { metadata: { metrics: { backlogCount: 0, backlogBytes: 0, oldestMessageTimestamp: new Date() } } };
  }
  async metrics(): Promise<QueueMetrics> {
    return { backlogCount: this.sent.length, backlogBytes: 0, oldestMessageTimestamp: new Date() };
  }
  take(): Body[] {
    return this.sent.splice(0);
  }
}

let batches = 0;

/**
 * The Worker's bindings with its queues recorded, and `drain`, which hands everything queued so
 * far (and what that queues in turn) to the real consumer, as of `now`: a test reads settled state.
 */
export function queued() {
  const deliveries = new RecordingQueue<unknown>();
  const deadLetters = new RecordingQueue<unknown>();
  const bindings = { ...env, DELIVERIES: deliveries, DEAD_LETTERS: deadLetters } as unknown as typeof env;
  return {
    env: bindings,
    deliveries,
    deadLetters,
    async drain(now = Date.now(), options: DeliveryOptions = {}): Promise<void> {
      for (let bodies = deliveries.take(); bodies.length > 0; bodies = deliveries.take()) {
        const batch = createMessageBatch(
          "edgedesk-deliveries",
          bodies.map((body) => ({ id: `m${batches++}`, timestamp: new Date(now), attempts: 1, body })),
        );
        const ctx = createExecutionContext();
        await consumeDeliveries(batch, bindings as Env, now, options);
        await getQueueResult(batch, ctx);
      }
    },
  };
}

const shared = queued();

/**
 * Calls the Worker's fetch entry point as the runtime would, waits for its `waitUntil` work, and
 * delivers what it queued (notices, alerts), so what a test reads afterwards is settled.
 */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { token?: string; key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResult<T>> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.key) headers.set("authorization", `Key ${options.key}`);
  let payload: string | undefined = options.rawBody;
  if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com${path}`, { method, headers, body: payload ?? null }),
    shared.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await shared.drain();
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON; keep the text
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/**
 * Tests file and reply far faster than people do: their tenants allow 1000 of everything a minute,
 * unless a test sets `limits` itself (rate-limits.test.ts tests the defaults and the refusals).
 */
const TEST_LIMITS = Object.fromEntries(
  Object.keys(RateLimits.shape)
    .filter((name) => name !== "pendingUploadBytes")
    .map((name) => [name, "1000/min"]),
);

let counter = 0;
/** A fresh tenant (unique id) with one embed secret; returns its id and a token minter. */
export async function newTenant(
  options: { parentId?: string; config?: Partial<z.input<typeof TenantConfig>>; name?: string } = {},
): Promise<{ id: string; secret: string; token: (claims?: Partial<Claims>) => Promise<string> }> {
  const id = `t${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const put = await api("PUT", `/api/v1/admin/tenants/${id}`, {
    headers: ADMIN,
    body: {
      name: options.name ?? `Tenant ${id}`,
      parentId: options.parentId ?? null,
      config: { allowedOrigins: [ORIGIN], limits: TEST_LIMITS, ...options.config },
    },
  });
  if (put.status !== 201) throw new Error(`tenant setup failed: ${put.status} ${JSON.stringify(put.body)}`);
  const secret = `secret-${id}-0123456789abcdef0123456789abcdef`;
  const sec = await api("POST", `/api/v1/admin/tenants/${id}/secrets`, { headers: ADMIN, body: { kid: "k1", secret } });
  if (sec.status !== 201) throw new Error(`secret setup failed: ${sec.status}`);
  return { id, secret, token: (claims = {}) => tokenFor(id, secret, claims) };
}

export interface Claims {
  sub: string;
  email: string;
  name: string;
  role: "customer" | "agent" | "admin";
  services: { id: string; label: string; host?: string }[];
  exp: number;
  iat: number;
  iss: string;
  aud: string;
}

export function tokenFor(tenantId: string, secret: string, claims: Partial<Claims> = {}, kid = "k1"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signEmbedToken(
    {
      iss: tenantId,
      aud: "edgedesk",
      sub: "alice",
      email: "alice@example.com",
      name: "Alice Customer",
      role: "customer",
      services: [{ id: "svc-1", label: "Shared hosting: example.com", host: "example.com" }],
      iat: now,
      exp: now + 600,
      ...claims,
    },
    { kid, secret },
  );
}

/** The demo's people as the services see them once their token is verified: Alice the customer, Bob the agent. */
export function principal(tenantId: string, who: "alice" | "bob"): Principal {
  return who === "alice"
    ? { kind: "user", tenantId, id: "alice", email: "alice@example.com", name: "Alice", role: "customer", services: [] }
    : { kind: "user", tenantId, id: "bob", email: "bob@host.example", name: "Bob", role: "agent", services: [] };
}

export const technicalTicket = {
  department: "technical",
  subject: "500 Error on example.com",
  message: "Since the plugin update this morning every page answers 500.",
  priority: "medium",
  serviceId: "svc-1",
  fields: { host: "example.com", remote_assistance: true },
};

export const billingTicket = {
  department: "billing",
  subject: "Invoice question",
  message: "Why was I charged twice?",
};

export async function count(table: string, where = "1 = 1", ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Hands a raw mail to the Worker's email() entry point, as Email Routing does. */
export async function deliverMail(raw: string, envelope: { from: string; to: string }): Promise<string | null> {
  let rejected: string | null = null;
  const bytes = new TextEncoder().encode(raw);
  const message = {
    from: envelope.from,
    to: envelope.to,
    headers: new Headers(),
    raw: new Blob([bytes]).stream(),
    rawSize: bytes.length,
    canBeForwarded: true,
    setReject(reason: string) {
      rejected = reason;
    },
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  const q = queued();
  const ctx = createExecutionContext();
  await worker.email(message, q.env, ctx);
  await waitOnExecutionContext(ctx);
  await q.drain();
  return rejected;
}

/** Files a ticket through the Worker, leaving what it queued undelivered (in `q`, for the test to consume). */
export async function fileUndelivered(q: ReturnType<typeof queued>, tenantId: string, token: string): Promise<string> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com/api/v1/${tenantId}/tickets`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(billingTicket),
    }),
    q.env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  if (res.status !== 201) throw new Error(`filing a ticket answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { ticket: { id: string } }).ticket.id;
}
