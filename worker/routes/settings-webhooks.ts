import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { viaFetch } from "../alerts/delivery";
import { requireAdmin } from "../auth/staff";
import type { AppEnv } from "../context";
import { listEndpoints, readEndpoint } from "../db/webhook-endpoints";
import { recentDeliveries } from "../db/webhooks";
import { notFound } from "../errors";
import { jsonBodyLimit } from "../middleware/body-limit";
import { forgetTenant } from "../middleware/tenant-cache";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import {
  DeliveriesQuery,
  EndpointId,
  NewWebhookEndpoint,
  RotatedWebhookSecret,
  RotateWebhookSecret,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
  WebhookTestResult,
} from "../schemas/webhooks";
import {
  addEndpoint,
  deliveryView,
  endpointView,
  removeEndpoint,
  rotateSecret,
  testEndpoint,
} from "../webhooks/endpoints";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

const EndpointPath = TenantPath.extend({ endpointId: EndpointId });

const tags = ["Console"];
const denied = { 401: problems[401], 403: problems[403], 404: problems[404] };

/**
 * `/api/v1/{tenant}/settings/webhooks`: the tenant's own admins manage its event webhooks
 * (docs/webhooks.md), as the provider does with `/api/v1/admin/tenants/{id}/webhooks`: the same
 * functions (webhooks/endpoints.ts) and schemas, the tenant from the verified token's path. Another
 * tenant's endpoint is a 404; an agent gets 403. Adding, rotating and removing are audited.
 */
export const settingsWebhooks = new OpenAPIHono<AppEnv>();

settingsWebhooks.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "listSettingsWebhooks",
    tags,
    summary: "List the desk's webhook endpoints (admin)",
    description: "Never their secrets.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: { 200: jsonResponse(WebhookEndpointList, "The endpoints."), ...denied },
  }),
  async (c) => {
    await requireAdmin(c);
    const now = Date.now();
    const endpoints = await listEndpoints(c.env.DB, c.get("tenant").id);
    return c.json({ endpoints: endpoints.map((e) => endpointView(e, now)) }, 200);
  },
);

settingsWebhooks.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "addSettingsWebhook",
    middleware: jsonBodyLimit(),
    tags,
    summary: "Add a webhook endpoint (admin)",
    description:
      "As the provider's `addWebhookEndpoint`: the `whsec_` secret is in this answer only. `url` must be https (plain http only to a loopback address). Audit: `webhook.add`.",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(NewWebhookEndpoint) },
    responses: {
      201: jsonResponse(WebhookEndpointCreated, "Added; store the secret in the receiver now."),
      400: problems[400],
      ...denied,
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const tenantId = c.get("tenant").id;
    const added = await addEndpoint(c.env.DB, tenantId, c.req.valid("json"), Date.now(), who);
    // This isolate's requests of the tenant queue webhook deliveries from now; others within 30 s (the cron covers the gap).
    forgetTenant(tenantId);
    c.header("Cache-Control", "no-store");
    return c.json(added, 201);
  },
);

settingsWebhooks.openapi(
  createRoute({
    method: "get",
    path: "/deliveries",
    operationId: "listSettingsWebhookDeliveries",
    tags,
    summary: "Recent webhook deliveries (admin)",
    description:
      "Newest first, of all the desk's endpoints or one (`endpoint`: another desk's is a 404), by `status`: how each went (tries, response code, last error), not what was sent.",
    security: withEmbedToken,
    request: { params: TenantPath, query: DeliveriesQuery },
    responses: { 200: jsonResponse(WebhookDeliveryList, "The deliveries."), ...denied },
  }),
  async (c) => {
    await requireAdmin(c);
    const tenantId = c.get("tenant").id;
    const { endpoint, status, limit } = c.req.valid("query");
    if (endpoint !== undefined && !(await readEndpoint(c.env.DB, tenantId, endpoint)))
      throw notFound("webhook endpoint");
    const deliveries = await recentDeliveries(c.env.DB, tenantId, { endpointId: endpoint, status }, limit);
    return c.json({ deliveries: deliveries.map(deliveryView) }, 200);
  },
);

settingsWebhooks.openapi(
  createRoute({
    method: "post",
    path: "/{endpointId}/rotate",
    operationId: "rotateSettingsWebhookSecret",
    middleware: jsonBodyLimit(),
    tags,
    summary: "Rotate a webhook endpoint's secret (admin)",
    description:
      "A new secret, shown once. The old one keeps signing beside it for `graceMinutes` (default 24 h), so the receiver can switch without missing a delivery. Audit: `webhook.rotate`.",
    security: withEmbedToken,
    request: { params: EndpointPath, body: jsonBody(RotateWebhookSecret) },
    responses: { 200: jsonResponse(RotatedWebhookSecret, "The new secret."), 400: problems[400], ...denied },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const { endpointId } = c.req.valid("param");
    const { graceMinutes } = c.req.valid("json");
    const rotated = await rotateSecret(c.env.DB, c.get("tenant").id, endpointId, graceMinutes, Date.now(), who);
    c.header("Cache-Control", "no-store");
    return c.json(rotated, 200);
  },
);

settingsWebhooks.openapi(
  createRoute({
    method: "post",
    path: "/{endpointId}/test",
    operationId: "testSettingsWebhook",
    tags,
    summary: "Send a test event (admin)",
    description:
      "A `webhook.test` event, signed like any other, sent now; the answer says how the endpoint replied. It is in the deliveries list, and retried like any delivery when it failed.",
    security: withEmbedToken,
    request: { params: EndpointPath },
    responses: { 200: jsonResponse(WebhookTestResult, "How it went."), ...denied },
  }),
  async (c) => {
    await requireAdmin(c);
    const { endpointId } = c.req.valid("param");
    const result = await testEndpoint(c.env.DB, c.get("tenant").id, endpointId, Date.now(), viaFetch);
    return c.json(result, 200);
  },
);

settingsWebhooks.openapi(
  createRoute({
    method: "delete",
    path: "/{endpointId}",
    operationId: "removeSettingsWebhook",
    tags,
    summary: "Remove a webhook endpoint (admin)",
    description: "Nothing more is sent to it, and its deliveries are forgotten. Audit: `webhook.remove`.",
    security: withEmbedToken,
    request: { params: EndpointPath },
    responses: { 204: { description: "Removed." }, ...denied },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const tenantId = c.get("tenant").id;
    await removeEndpoint(c.env.DB, tenantId, c.req.valid("param").endpointId, Date.now(), who);
    forgetTenant(tenantId);
    return c.body(null, 204);
  },
);
