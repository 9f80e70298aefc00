import { expect, vi } from "vitest";
import { EVENT_TYPES, type WebhookEndpointCreated } from "../../worker/schemas/webhooks";
import { ADMIN, api } from "./helpers";

/** A webhook delivery as a receiver got it. */
export interface Received {
  url: string;
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  type: string;
  data: Record<string, unknown> & { ticket: Record<string, unknown> | null };
}

/**
 * Receivers standing in for the outside world: every fetch the Worker makes is answered here
 * (by URL: the status in `statuses`, else 200) and recorded. Nothing leaves the machine.
 */
export function receivers(statuses: Record<string, number> = {}) {
  const received: Received[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const body = await request.text();
    const parsed = JSON.parse(body) as { type: string; data: Received["data"] };
    received.push({
      url: request.url,
      id: request.headers.get("webhook-id") ?? "",
      timestamp: request.headers.get("webhook-timestamp") ?? "",
      signature: request.headers.get("webhook-signature") ?? "",
      body,
      type: parsed.type,
      data: parsed.data,
    });
    return new Response("ok", { status: statuses[request.url] ?? 200 });
  });
  return {
    received,
    /** What one endpoint got, by URL. */
    at: (url: string) => received.filter((r) => r.url === url),
    types: (url: string) => received.filter((r) => r.url === url).map((r) => r.type),
  };
}

/** Adds an endpoint through the admin API; its id and secret. */
export async function addEndpoint(
  tenantId: string,
  body: { url: string; events: string[]; includeInternalNotes?: boolean },
): Promise<WebhookEndpointCreated> {
  const res = await api<WebhookEndpointCreated>("POST", `/api/v1/admin/tenants/${tenantId}/webhooks`, {
    headers: ADMIN,
    body,
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** Every event an endpoint can ask for, as the schema lists them. */
export const ALL_EVENTS: string[] = [...EVENT_TYPES];

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * The Standard Webhooks check written from the spec, without the library: one of the
 * space-separated `v1,<base64>` signatures is the HMAC-SHA256, keyed with the base64 part of the
 * `whsec_` secret, of "{webhook-id}.{webhook-timestamp}.{body}". (No clock: the tests pin theirs.)
 */
export async function verifiedBySpec(secret: string, r: Received): Promise<boolean> {
  const key = await crypto.subtle.importKey(
    "raw",
    fromBase64(secret.replace(/^whsec_/, "")),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const content = new TextEncoder().encode(`${r.id}.${r.timestamp}.${r.body}`);
  for (const part of r.signature.split(" ")) {
    const [version, signature] = part.split(",");
    if (version === "v1" && signature && (await crypto.subtle.verify("HMAC", key, fromBase64(signature), content)))
      return true;
  }
  return false;
}
