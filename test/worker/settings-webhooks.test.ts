import { afterEach, describe, expect, it, vi } from "vitest";
import type { Problem } from "../../worker/errors";
import type {
  RotatedWebhookSecret,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookTestResult,
} from "../../worker/schemas/webhooks";
import { auditRows, staff } from "./console-helpers";
import { api, billingTicket, count, newTenant } from "./helpers";
import { receivers, verifiedBySpec } from "./webhook-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

async function desk() {
  const t = await newTenant();
  return {
    t,
    base: `/api/v1/${t.id}/settings/webhooks`,
    admin: await t.token(staff("ada", "Ada Admin", "admin")),
    agent: await t.token(staff("bob", "Bob Agent")),
    customer: await t.token(),
  };
}
type Desk = Awaited<ReturnType<typeof desk>>;

const add = (d: Desk, token: string, body: unknown) =>
  api<WebhookEndpointCreated & Problem>("POST", d.base, { token, body });
const list = (d: Desk, token: string) => api<WebhookEndpointList & Problem>("GET", d.base, { token });
const fileTicket = async (d: Desk) => {
  const res = await api("POST", `/api/v1/${d.t.id}/tickets`, { token: d.customer, body: billingTicket });
  expect(res.status).toBe(201);
};

describe("a tenant's admins manage its event webhooks from the console (docs/webhooks.md)", () => {
  it("adds an endpoint: the secret once, never in the list; a ticket event reaches it signed with that secret; audited", async () => {
    const d = await desk();
    const res = await add(d, d.admin, { url: "https://crm.bluebird.example/in", events: ["ticket.created"] });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body.secret).toMatch(/^whsec_/);
    expect(res.body.endpoint).toMatchObject({ url: "https://crm.bluebird.example/in", includeInternalNotes: false });

    const listed = await list(d, d.admin);
    expect(listed.body.endpoints).toEqual([res.body.endpoint]);
    expect(JSON.stringify(listed.body)).not.toContain(res.body.secret.slice(6));

    const got = receivers();
    await fileTicket(d);
    const [delivered] = got.at("https://crm.bluebird.example/in");
    expect(delivered?.type).toBe("ticket.created");
    expect(delivered && (await verifiedBySpec(res.body.secret, delivered))).toBe(true);

    const deliveries = await api<WebhookDeliveryList>("GET", `${d.base}/deliveries?endpoint=${res.body.endpoint.id}`, {
      token: d.admin,
    });
    expect(deliveries.body.deliveries).toMatchObject([{ type: "ticket.created", status: "delivered", attempts: 1 }]);
    expect(JSON.stringify(deliveries.body)).not.toContain("payload");

    const audit = await auditRows(d.t.id, "action = 'webhook.add'");
    expect(audit).toMatchObject([{ actor_id: "ada" }]);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toEqual({
      endpointId: res.body.endpoint.id,
      url: "https://crm.bluebird.example/in",
    });
    expect(audit[0]?.detail).not.toContain(res.body.secret.slice(6));
  });

  it("refuses agents (403) and customers (404), writing nothing", async () => {
    const d = await desk();
    const body = { url: "https://crm.bluebird.example/in", events: ["ticket.created"] };
    expect((await add(d, d.agent, body)).status).toBe(403);
    expect((await add(d, d.customer, body)).status).toBe(404);
    expect((await list(d, d.agent)).status).toBe(403);
    expect((await list(d, d.customer)).status).toBe(404);
    expect((await api("GET", d.base)).status).toBe(401);
    expect(await count("webhook_endpoints", "tenant_id = ?1", d.t.id)).toBe(0);
    expect(await auditRows(d.t.id)).toEqual([]);
  });

  it("keeps each desk to its own endpoints: another desk's admin gets 404 for every one of its routes", async () => {
    const d = await desk();
    const other = await desk();
    const { body } = await add(d, d.admin, { url: "https://crm.bluebird.example/in", events: ["ticket.created"] });
    const id = body.endpoint.id;
    expect((await list(other, other.admin)).body.endpoints).toEqual([]);
    for (const [method, path, json] of [
      ["POST", `${other.base}/${id}/rotate`, {}],
      ["POST", `${other.base}/${id}/test`, undefined],
      ["DELETE", `${other.base}/${id}`, undefined],
      ["GET", `${other.base}/deliveries?endpoint=${id}`, undefined],
    ] as const)
      expect((await api(method, path, { token: other.admin, body: json })).status, `${method} ${path}`).toBe(404);
    expect((await list(d, d.admin)).body.endpoints).toHaveLength(1);
    expect(await auditRows(other.t.id)).toEqual([]);
  });

  it("refuses a bad URL or no events with the field and the reason, writing nothing", async () => {
    const d = await desk();
    const plain = await add(d, d.admin, { url: "http://crm.bluebird.example/in", events: ["ticket.created"] });
    expect(plain.status).toBe(400);
    expect(plain.headers.get("content-type")).toContain("application/problem+json");
    expect(plain.body.errors).toEqual([
      { path: "url", message: "must be https (plain http only to localhost, 127.0.0.1 or [::1])" },
    ]);
    const none = await add(d, d.admin, { url: "https://crm.bluebird.example/in", events: [] });
    expect(none.status).toBe(400);
    expect(none.body.errors?.[0]?.path).toBe("events");
    expect(await count("webhook_endpoints", "tenant_id = ?1", d.t.id)).toBe(0);
    expect(await auditRows(d.t.id)).toEqual([]);
  });

  it("rotates the secret (the old one signs beside it for the grace period), tests, and removes: nothing more is sent", async () => {
    const d = await desk();
    const url = "https://crm.bluebird.example/in";
    const { body } = await add(d, d.admin, { url, events: ["ticket.created"] });
    const id = body.endpoint.id;

    const rotated = await api<RotatedWebhookSecret>("POST", `${d.base}/${id}/rotate`, {
      token: d.admin,
      body: { graceMinutes: 60 },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(body.secret);
    expect(rotated.body.previousSecretExpiresAt).not.toBeNull();
    const got = receivers();
    await fileTicket(d);
    const [signed] = got.at(url);
    expect(signed && (await verifiedBySpec(rotated.body.secret, signed))).toBe(true);
    expect(signed && (await verifiedBySpec(body.secret, signed))).toBe(true);
    expect((await api("POST", `${d.base}/${id}/rotate`, { token: d.agent, body: {} })).status).toBe(403);

    const tested = await api<WebhookTestResult>("POST", `${d.base}/${id}/test`, { token: d.admin });
    expect(tested.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    expect(got.types(url)).toEqual(["ticket.created", "webhook.test"]);

    expect((await api("DELETE", `${d.base}/${id}`, { token: d.agent })).status).toBe(403);
    expect((await api("DELETE", `${d.base}/${id}`, { token: d.admin })).status).toBe(204);
    expect((await api("DELETE", `${d.base}/${id}`, { token: d.admin })).status).toBe(404);
    got.received.length = 0;
    await fileTicket(d);
    expect(got.received).toEqual([]);
    expect((await list(d, d.admin)).body.endpoints).toEqual([]);
    expect((await auditRows(d.t.id)).map((r) => [r.action, r.actor_id])).toEqual([
      ["webhook.add", "ada"],
      ["webhook.rotate", "ada"],
      ["webhook.remove", "ada"],
    ]);
  });
});
