import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Problem } from "../../worker/errors";
import type {
  RotatedWebhookSecret,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookTestResult,
} from "../../worker/schemas/webhooks";
import { ADMIN, api, billingTicket, count, newTenant } from "./helpers";
import { addEndpoint, type Received, receivers, verifiedBySpec } from "./webhook-helpers";

afterEach(() => {
  vi.restoreAllMocks();
});

const hooks = (tenantId: string) => `/api/v1/admin/tenants/${tenantId}/webhooks`;
const add = (tenantId: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  api<WebhookEndpointCreated & Problem>("POST", hooks(tenantId), { headers, body });

describe("the webhooks admin API", () => {
  it("adds an endpoint with a whsec_ secret shown once, and lists it without the secret", async () => {
    const t = await newTenant();
    const res = await add(t.id, { url: "https://crm.example/in", events: ["ticket.created"], description: "CRM" });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(res.body.endpoint).toMatchObject({
      url: "https://crm.example/in",
      events: ["ticket.created"],
      includeInternalNotes: false,
      description: "CRM",
      previousSecretExpiresAt: null,
    });
    const list = await api<WebhookEndpointList>("GET", hooks(t.id), { headers: ADMIN });
    expect(list.body.endpoints).toEqual([res.body.endpoint]);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret.slice(6));
  });

  it("refuses a URL that is not https (plain http only to loopback) and an unknown event, storing nothing", async () => {
    const t = await newTenant();
    const plain = await add(t.id, { url: "http://crm.example/in", events: ["ticket.created"] });
    expect(plain.status).toBe(400);
    expect(plain.body.errors).toEqual([
      { path: "url", message: "must be https (plain http only to localhost, 127.0.0.1 or [::1])" },
    ]);
    const unknown = await add(t.id, { url: "https://crm.example/in", events: ["ticket.deleted"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors?.[0]?.path).toBe("events.0");
    const credentials = await add(t.id, { url: "https://user:pw@crm.example/in", events: ["ticket.created"] });
    expect(credentials.status).toBe(400);
    expect(await count("webhook_endpoints", "tenant_id = ?1", t.id)).toBe(0);
    const local = await add(t.id, { url: "http://127.0.0.1:9000/hook", events: ["ticket.created"] });
    expect(local.status).toBe(201);
  });

  it("answers only the admin secret, and 404 for another tenant's endpoint", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const refused = await add(
      t.id,
      { url: "https://crm.example/in", events: ["ticket.created"] },
      {
        authorization: "Bearer nope",
      },
    );
    expect(refused.status).toBe(401);
    const { endpoint } = await addEndpoint(t.id, { url: "https://crm.example/in", events: ["ticket.created"] });
    const stolen = await api("DELETE", `${hooks(other.id)}/${endpoint.id}`, { headers: ADMIN });
    expect(stolen.status).toBe(404);
    expect((await api("GET", hooks("no-such-tenant"), { headers: ADMIN })).status).toBe(404);
  });

  it("test-fires a signed webhook.test event and says how the endpoint answered; a failed one is listed as pending", async () => {
    const t = await newTenant();
    const ok = await addEndpoint(t.id, { url: "https://crm.example/ok", events: ["ticket.created"] });
    const down = await addEndpoint(t.id, { url: "https://crm.example/down", events: ["ticket.created"] });
    const got = receivers({ "https://crm.example/down": 503 });
    const fired = await api<WebhookTestResult>("POST", `${hooks(t.id)}/${ok.endpoint.id}/test`, { headers: ADMIN });
    expect(fired.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    const [received] = got.at("https://crm.example/ok");
    expect(received).toMatchObject({ type: "webhook.test", id: fired.body.eventId });
    expect(received?.data).toMatchObject({ tenant: { id: t.id }, endpoint: { id: ok.endpoint.id } });
    expect(new Webhook(ok.secret).verify(received?.body ?? "", headersOf(received))).toMatchObject({
      type: "webhook.test",
    });

    const failed = await api<WebhookTestResult>("POST", `${hooks(t.id)}/${down.endpoint.id}/test`, { headers: ADMIN });
    expect(failed.body).toMatchObject({ delivered: false, statusCode: 503, error: "HTTP 503" });
    const list = await api<WebhookDeliveryList>("GET", `${hooks(t.id)}/deliveries?endpoint=${down.endpoint.id}`, {
      headers: ADMIN,
    });
    expect(list.body.deliveries).toMatchObject([
      { eventId: failed.body.eventId, type: "webhook.test", status: "pending", attempts: 1, responseCode: 503 },
    ]);
  });

  it("rotates a secret: the old one keeps signing beside the new one through its grace period, or stops at once", async () => {
    const t = await newTenant();
    const { endpoint, secret: old } = await addEndpoint(t.id, {
      url: "https://crm.example/rot",
      events: ["ticket.created"],
    });
    const got = receivers();
    const rotated = await api<RotatedWebhookSecret>("POST", `${hooks(t.id)}/${endpoint.id}/rotate`, {
      headers: ADMIN,
      body: {},
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old);
    expect(Date.parse(rotated.body.previousSecretExpiresAt ?? "") - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await api("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: billingTicket });
    const [during] = got.at("https://crm.example/rot");
    expect(during?.signature.split(" ")).toHaveLength(2);
    expect(await verifiedBySpec(rotated.body.secret, during as Received)).toBe(true);
    expect(await verifiedBySpec(old, during as Received)).toBe(true);

    const again = await api<RotatedWebhookSecret>("POST", `${hooks(t.id)}/${endpoint.id}/rotate`, {
      headers: ADMIN,
      body: { graceMinutes: 0 },
    });
    expect(again.body.previousSecretExpiresAt).toBeNull();
    await api("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: billingTicket });
    const after = got.at("https://crm.example/rot")[1] as Received;
    expect(after.signature.split(" ")).toHaveLength(1);
    expect(await verifiedBySpec(again.body.secret, after)).toBe(true);
    expect(await verifiedBySpec(rotated.body.secret, after)).toBe(false);
  });

  it("removes an endpoint and its deliveries: nothing more is sent to it", async () => {
    const t = await newTenant();
    const { endpoint } = await addEndpoint(t.id, { url: "https://crm.example/gone", events: ["ticket.created"] });
    const got = receivers();
    await api("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: billingTicket });
    expect(got.received).toHaveLength(1);
    got.received.length = 0;
    expect((await api("DELETE", `${hooks(t.id)}/${endpoint.id}`, { headers: ADMIN })).status).toBe(204);
    expect(await count("webhook_deliveries", "endpoint_id = ?1", endpoint.id)).toBe(0);
    expect((await api("DELETE", `${hooks(t.id)}/${endpoint.id}`, { headers: ADMIN })).status).toBe(404);
    await api("POST", `/api/v1/${t.id}/tickets`, { token: await t.token(), body: billingTicket });
    expect(got.received).toEqual([]);
    expect((await api<WebhookEndpointList>("GET", hooks(t.id), { headers: ADMIN })).body.endpoints).toEqual([]);
  });
});

function headersOf(r: Received | undefined): Record<string, string> {
  return {
    "webhook-id": r?.id ?? "",
    "webhook-timestamp": r?.timestamp ?? "",
    "webhook-signature": r?.signature ?? "",
  };
}
