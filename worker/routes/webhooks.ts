import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { viaFetch } from "../alerts/delivery";
import type { AppEnv } from "../context";
import { readTenant } from "../db/tenants";
import { listEndpoints } from "../db/webhook-endpoints";
import { recentDeliveries } from "../db/webhooks";
import { notFound } from "../errors";
import { requireAdmin } from "../middleware/admin";
import { jsonBodyLimit } from "../middleware/body-limit";
import { forgetTenant } from "../middleware/tenant-cache";
import { problems } from "../schemas/problem";
import { TenantId } from "../schemas/tenant";
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
import { jsonBody, jsonResponse } from "./openapi";

const TenantParams = z.object({
  id: TenantId.openapi({ param: { name: "id", in: "path" }, example: "acme" }),
});
const EndpointParams = TenantParams.extend({ endpointId: EndpointId });

const security: Record<string, string[]>[] = [{ adminSecret: [] }];
const tags = ["Webhooks"];

/** The tenant of the path, or 404. */
async function tenantOf(c: Context<AppEnv>, id: string): Promise<string> {
  if (!(await readTenant(c.env.DB, id))) throw notFound("tenant");
  return id;
}

/**
 * `/api/v1/admin/tenants/{id}/webhooks`: the provider's API (ADMIN_SECRET, like the rest of the
 * admin API) for a tenant's event webhooks (docs/webhooks.md). A reseller's endpoints are the
 * reseller's tenant's: they get its tickets' events only.
 */
export const webhooks = new OpenAPIHono<AppEnv>();
webhooks.use(requireAdmin());

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/{id}/webhooks",
    operationId: "addWebhookEndpoint",
    middleware: jsonBodyLimit(),
    tags,
    summary: "Add a webhook endpoint",
    description:
      "The endpoint receives the events it lists, signed the Standard Webhooks way with the `whsec_` secret in the answer (shown once). `url` must be https (plain http only to a loopback address).",
    security,
    request: { params: TenantParams, body: jsonBody(NewWebhookEndpoint) },
    responses: {
      201: jsonResponse(WebhookEndpointCreated, "Added; store the secret in the receiver now."),
      400: problems[400],
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenantId = await tenantOf(c, c.req.valid("param").id);
    const added = await addEndpoint(c.env.DB, tenantId, c.req.valid("json"), Date.now());
    // This isolate's requests of the tenant queue webhook deliveries from now; others within 30 s (the cron covers the gap).
    forgetTenant(tenantId);
    return c.json(added, 201);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/{id}/webhooks",
    operationId: "listWebhookEndpoints",
    tags,
    summary: "List webhook endpoints",
    description: "Never their secrets.",
    security,
    request: { params: TenantParams },
    responses: { 200: jsonResponse(WebhookEndpointList, "The endpoints."), 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const tenantId = await tenantOf(c, c.req.valid("param").id);
    const now = Date.now();
    const endpoints = await listEndpoints(c.env.DB, tenantId);
    return c.json({ endpoints: endpoints.map((e) => endpointView(e, now)) }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "get",
    path: "/{id}/webhooks/deliveries",
    operationId: "listWebhookDeliveries",
    tags,
    summary: "Recent webhook deliveries",
    description:
      "Newest first, of all the tenant's endpoints or one (`endpoint`), by `status`. A `failed` delivery is the dead-letter record: every try failed, `lastError` says how the last did.",
    security,
    request: { params: TenantParams, query: DeliveriesQuery },
    responses: { 200: jsonResponse(WebhookDeliveryList, "The deliveries."), 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const tenantId = await tenantOf(c, c.req.valid("param").id);
    const { endpoint, status, limit } = c.req.valid("query");
    const deliveries = await recentDeliveries(c.env.DB, tenantId, { endpointId: endpoint, status }, limit);
    return c.json({ deliveries: deliveries.map(deliveryView) }, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/{id}/webhooks/{endpointId}/rotate",
    operationId: "rotateWebhookSecret",
    middleware: jsonBodyLimit(),
    tags,
    summary: "Rotate a webhook endpoint's secret",
    description:
      "A new secret, shown once. The old one keeps signing beside it (a second `v1,…` in `webhook-signature`) for `graceMinutes`, so the receiver can switch without missing a delivery.",
    security,
    request: { params: EndpointParams, body: jsonBody(RotateWebhookSecret) },
    responses: {
      200: jsonResponse(RotatedWebhookSecret, "The new secret."),
      400: problems[400],
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const { id, endpointId } = c.req.valid("param");
    const rotated = await rotateSecret(c.env.DB, id, endpointId, c.req.valid("json").graceMinutes, Date.now());
    return c.json(rotated, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "post",
    path: "/{id}/webhooks/{endpointId}/test",
    operationId: "testWebhookEndpoint",
    tags,
    summary: "Send a test event",
    description:
      "A `webhook.test` event, signed like any other, sent now; the answer says how the endpoint replied. It is in the deliveries list, and retried like any delivery when it failed.",
    security,
    request: { params: EndpointParams },
    responses: { 200: jsonResponse(WebhookTestResult, "How it went."), 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const { id, endpointId } = c.req.valid("param");
    const result = await testEndpoint(c.env.DB, id, endpointId, Date.now(), viaFetch);
    return c.json(result, 200);
  },
);

webhooks.openapi(
  createRoute({
    method: "delete",
    path: "/{id}/webhooks/{endpointId}",
    operationId: "removeWebhookEndpoint",
    tags,
    summary: "Remove a webhook endpoint",
    description: "Nothing more is sent to it, and its deliveries are forgotten.",
    security,
    request: { params: EndpointParams },
    responses: { 204: { description: "Removed." }, 401: problems[401], 404: problems[404] },
  }),
  async (c) => {
    const { id, endpointId } = c.req.valid("param");
    await removeEndpoint(c.env.DB, id, endpointId, Date.now());
    forgetTenant(id);
    return c.body(null, 204);
  },
);
