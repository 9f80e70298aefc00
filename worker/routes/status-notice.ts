import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireAdmin } from "../auth/staff";
import { newStandardWebhookSecret, verifyStandardWebhook } from "../auth/standard-webhooks";
import type { AppEnv } from "../context";
import { readStatusNotice, readStatusWebhookSecret } from "../db/status-notice";
import { ApiError } from "../errors";
import { jsonBodyLimit } from "../middleware/body-limit";
import { TenantPath } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import {
  StatusNoticeInput,
  StatusNoticeResponse,
  StatusWebhookBody,
  StatusWebhookSecretResponse,
} from "../schemas/status-notice";
import {
  noticeShowing,
  receiveStatusWebhook,
  setStatusNotice,
  setStatusWebhookSecret,
} from "../settings/status-notice";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

/**
 * `/api/v1/{tenant}/status-notice`: the maintenance / incident notice at the top of the widget
 * and on its new-ticket form (settings/status-notice.ts). The tenant's admins set and clear it;
 * a status page sets it by a Standard Webhooks-signed POST. The widget gets it in `/config`.
 */
export const statusNotice = new OpenAPIHono<AppEnv>();

statusNotice.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "getStatusNotice",
    tags: ["Console"],
    summary: "The status notice (admin)",
    description:
      "The notice as set (whatever its window), whether the widget shows it now, and whether the status-page webhook is on.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      200: jsonResponse(StatusNoticeResponse, "The notice, or null."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    await requireAdmin(c);
    // Read afresh, not from the cached tenant: a status page may have changed it on another isolate.
    const { notice, webhookSecretSet } = await readStatusNotice(c.env.DB, c.get("tenant").id);
    return c.json({ notice, showing: noticeShowing(notice, Date.now()), webhookSecretSet }, 200);
  },
);

statusNotice.openapi(
  createRoute({
    method: "put",
    path: "/",
    operationId: "setStatusNotice",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Set the status notice (admin)",
    description:
      "Replaces the notice. The widget shows it from `startsAt` to `endsAt` (each optional), at the top and on the new-ticket form; everywhere within 30 s, and a browser never keeps it past its end. An end not after the start, or already past, is a 400. Audit: `status_notice.set`.",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(StatusNoticeInput) },
    responses: {
      200: jsonResponse(StatusNoticeResponse, "The notice as stored."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const tenantId = c.get("tenant").id;
    const now = Date.now();
    const notice = await setStatusNotice(c.env, tenantId, who, c.req.valid("json"), now);
    const { webhookSecretSet } = await readStatusNotice(c.env.DB, tenantId);
    return c.json({ notice, showing: noticeShowing(notice, now), webhookSecretSet }, 200);
  },
);

statusNotice.openapi(
  createRoute({
    method: "delete",
    path: "/",
    operationId: "clearStatusNotice",
    tags: ["Console"],
    summary: "Clear the status notice (admin)",
    description: "The widget stops showing it (everywhere within 30 s). Audit: `status_notice.clear`.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: { 204: { description: "Cleared." }, 401: problems[401], 403: problems[403], 404: problems[404] },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    await setStatusNotice(c.env, c.get("tenant").id, who, null, Date.now());
    return c.body(null, 204);
  },
);

statusNotice.openapi(
  createRoute({
    method: "post",
    path: "/webhook-secret",
    operationId: "newStatusWebhookSecret",
    tags: ["Console"],
    summary: "Turn on the status-page webhook with a new secret (admin)",
    description:
      "A new Standard Webhooks secret (`whsec_…`), shown this once; it replaces any earlier one at once. Give it to whatever signs the status page's POSTs. Audit: `status_webhook.secret`.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      201: jsonResponse(StatusWebhookSecretResponse, "The secret; store it with the sender now."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const secret = newStandardWebhookSecret();
    await setStatusWebhookSecret(c.env, c.get("tenant").id, who, secret, Date.now());
    c.header("Cache-Control", "no-store");
    return c.json({ secret }, 201);
  },
);

statusNotice.openapi(
  createRoute({
    method: "delete",
    path: "/webhook-secret",
    operationId: "removeStatusWebhookSecret",
    tags: ["Console"],
    summary: "Turn off the status-page webhook (admin)",
    description: "Deliveries are refused (401) from now on. Audit: `status_webhook.off`.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: { 204: { description: "Off." }, 401: problems[401], 403: problems[403], 404: problems[404] },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    await setStatusWebhookSecret(c.env, c.get("tenant").id, who, null, Date.now());
    return c.body(null, 204);
  },
);

/** The delivery's Standard Webhooks signature, checked over the raw body before anything parses it. */
function signedByStatusPage(): MiddlewareHandler<AppEnv> {
  return async function signedByStatusPage(c, next) {
    const secret = await readStatusWebhookSecret(c.env.DB, c.get("tenant").id);
    if (secret === null)
      throw new ApiError("unauthorized", "The status-page webhook is off: an admin turns it on with a secret.");
    const verdict = await verifyStandardWebhook(secret, c.req.raw.headers, await c.req.text(), Date.now());
    if (!verdict.ok) throw new ApiError("unauthorized", WEBHOOK_REFUSALS[verdict.reason]);
    await next();
  };
}

const WEBHOOK_REFUSALS = {
  missing_headers: "webhook-id, webhook-timestamp (unix seconds) and webhook-signature are required.",
  bad_secret: "The stored secret is not a Standard Webhooks secret; set a new one.",
  stale_timestamp: "webhook-timestamp is more than 5 minutes from now.",
  bad_signature: "No v1 signature in webhook-signature matches the body.",
} as const;

statusNotice.openapi(
  createRoute({
    method: "post",
    path: "/webhook",
    operationId: "receiveStatusWebhook",
    middleware: [jsonBodyLimit(), signedByStatusPage()],
    tags: ["Console"],
    summary: "Set or clear the status notice from a status page (signed webhook)",
    description:
      "Signed the Standard Webhooks way with the secret from `POST …/status-notice/webhook-secret`: `webhook-signature: v1,<base64 HMAC-SHA256 of {webhook-id}.{webhook-timestamp}.{body}>`, the timestamp within 5 minutes of now. A refused signature or timestamp is a 401, a `webhook-id` received before a 409, a body that fails the checks a 400; none changes anything. docs/api.md shows how to map a Statuspage or Instatus incident to the body.",
    security: [],
    request: {
      params: TenantPath,
      headers: z.object({
        "webhook-id": z.string().min(1).max(200).openapi({ description: "Unique per message; a replay is refused." }),
        "webhook-timestamp": z.string().openapi({ description: "Unix seconds." }),
        "webhook-signature": z.string().openapi({ description: "`v1,<base64>`, space-separated if several." }),
      }),
      body: jsonBody(StatusWebhookBody),
    },
    responses: {
      204: { description: "Taken: the notice is set or cleared." },
      400: problems[400],
      401: problem("No secret set, or the signature or timestamp is refused."),
      404: problems[404],
      409: problem("This webhook-id was received before."),
    },
  }),
  async (c) => {
    const headers = c.req.valid("header");
    const delivery = { id: headers["webhook-id"], timestamp: Number(headers["webhook-timestamp"]) };
    await receiveStatusWebhook(c.env, c.get("tenant").id, delivery, c.req.valid("json").notice, Date.now());
    return c.body(null, 204);
  },
);
