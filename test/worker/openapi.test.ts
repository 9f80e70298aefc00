import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import { RESERVED_TENANT_IDS } from "../../worker/schemas/tenant";
import { ADMIN, api, count, newTenant } from "./helpers";

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  allOf?: OpenApiSchema[];
}
interface OpenApiOperation {
  operationId?: string;
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
}
interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

const document = async () => (await api<OpenApiDoc>("GET", "/api/v1/openapi.json")).body;

/** A field's description, also where the generator wraps a `$ref` in `allOf` to carry one. */
function describedAs(doc: OpenApiDoc, schema: string, field: string): string | undefined {
  const property = doc.components.schemas[schema]?.properties?.[field];
  return property?.description ?? property?.allOf?.find((part) => part.description)?.description;
}

describe("the API description", () => {
  it("is an OpenAPI 3.1 document with every resource's path", async () => {
    const res = await api<OpenApiDoc>("GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/{tenant}/tickets",
        "/api/v1/{tenant}/tickets/{id}",
        "/api/v1/{tenant}/tickets/{id}/messages",
        "/api/v1/{tenant}/messages/{id}/feedback",
        "/api/v1/{tenant}/config",
        "/api/v1/{tenant}/uploads",
        "/api/v1/{tenant}/attachments/{id}",
        "/api/v1/admin/tenants/{id}",
      ]),
    );
  });

  it("names every operation with its own operationId", async () => {
    const doc = await document();
    const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => [operation.operationId, `${method.toUpperCase()} ${path}`]),
    );
    expect(Object.fromEntries(operations)).toEqual({
      getConfig: "GET /api/v1/{tenant}/config",
      createTicket: "POST /api/v1/{tenant}/tickets",
      listTickets: "GET /api/v1/{tenant}/tickets",
      getTicket: "GET /api/v1/{tenant}/tickets/{id}",
      changeTicket: "PATCH /api/v1/{tenant}/tickets/{id}",
      revealSensitive: "POST /api/v1/{tenant}/tickets/{id}/sensitive/reveal",
      replyToTicket: "POST /api/v1/{tenant}/tickets/{id}/messages",
      watchPresence: "GET /api/v1/{tenant}/tickets/{id}/presence",
      getOriginalMail: "GET /api/v1/{tenant}/messages/{id}/original",
      voteOnMessage: "POST /api/v1/{tenant}/messages/{id}/feedback",
      uploadFile: "POST /api/v1/{tenant}/uploads",
      uploadThumbnail: "PUT /api/v1/{tenant}/uploads/{id}/thumbnail",
      downloadAttachment: "GET /api/v1/{tenant}/attachments/{id}",
      downloadThumbnail: "GET /api/v1/{tenant}/attachments/{id}/thumbnail",
      showAlertAcknowledgement: "GET /api/v1/{tenant}/alerts/{id}/ack",
      acknowledgeAlert: "POST /api/v1/{tenant}/alerts/{id}/ack",
      listAudit: "GET /api/v1/{tenant}/audit",
      listCannedReplies: "GET /api/v1/{tenant}/canned-replies",
      createCannedReply: "POST /api/v1/{tenant}/canned-replies",
      updateCannedReply: "PUT /api/v1/{tenant}/canned-replies/{id}",
      deleteCannedReply: "DELETE /api/v1/{tenant}/canned-replies/{id}",
      listAgents: "GET /api/v1/{tenant}/agents",
      changeAgent: "PATCH /api/v1/{tenant}/agents/{id}",
      listQueue: "GET /api/v1/{tenant}/queue",
      countQueue: "GET /api/v1/{tenant}/queue/counts",
      putTenant: "PUT /api/v1/admin/tenants/{id}",
      getTenant: "GET /api/v1/admin/tenants/{id}",
      addTenantSecret: "POST /api/v1/admin/tenants/{id}/secrets",
      revokeTenantSecret: "DELETE /api/v1/admin/tenants/{id}/secrets/{kid}",
      addWebhookEndpoint: "POST /api/v1/admin/tenants/{id}/webhooks",
      listWebhookEndpoints: "GET /api/v1/admin/tenants/{id}/webhooks",
      listWebhookDeliveries: "GET /api/v1/admin/tenants/{id}/webhooks/deliveries",
      rotateWebhookSecret: "POST /api/v1/admin/tenants/{id}/webhooks/{endpointId}/rotate",
      testWebhookEndpoint: "POST /api/v1/admin/tenants/{id}/webhooks/{endpointId}/test",
      removeWebhookEndpoint: "DELETE /api/v1/admin/tenants/{id}/webhooks/{endpointId}",
      escalateTicket: "POST /api/v1/{tenant}/tickets/{id}/escalate",
      getSettings: "GET /api/v1/{tenant}/settings",
      changeSettings: "PATCH /api/v1/{tenant}/settings",
      addSettingsSecret: "POST /api/v1/{tenant}/settings/secrets",
      revokeSettingsSecret: "DELETE /api/v1/{tenant}/settings/secrets/{kid}",
      previewOpenings: "POST /api/v1/{tenant}/settings/openings",
      sendTestPage: "POST /api/v1/{tenant}/settings/test-page",
      listSettingsWebhooks: "GET /api/v1/{tenant}/settings/webhooks",
      addSettingsWebhook: "POST /api/v1/{tenant}/settings/webhooks",
      listSettingsWebhookDeliveries: "GET /api/v1/{tenant}/settings/webhooks/deliveries",
      rotateSettingsWebhookSecret: "POST /api/v1/{tenant}/settings/webhooks/{endpointId}/rotate",
      testSettingsWebhook: "POST /api/v1/{tenant}/settings/webhooks/{endpointId}/test",
      removeSettingsWebhook: "DELETE /api/v1/{tenant}/settings/webhooks/{endpointId}",
      exportPerson: "GET /api/v1/{tenant}/people/{email}/export",
      erasePerson: "DELETE /api/v1/{tenant}/people/{email}",
      exportTenant: "GET /api/v1/{tenant}/export",
      getStatusNotice: "GET /api/v1/{tenant}/status-notice",
      setStatusNotice: "PUT /api/v1/{tenant}/status-notice",
      clearStatusNotice: "DELETE /api/v1/{tenant}/status-notice",
      newStatusWebhookSecret: "POST /api/v1/{tenant}/status-notice/webhook-secret",
      removeStatusWebhookSecret: "DELETE /api/v1/{tenant}/status-notice/webhook-secret",
      receiveStatusWebhook: "POST /api/v1/{tenant}/status-notice/webhook",
    });
    // The map above would hide a duplicate id; so would a missing one.
    const ids = operations.map(([id]) => id);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ["CreateTicketBody", "department", /departments/],
    ["CreateTicketBody", "sensitive", /write-only/i],
    ["CreateTicketBody", "serviceId", /embed token/],
    ["GuestInput", "returnUrl", /allowed origins/],
    ["ReplyBody", "internal", /customer never/],
    ["PatchTicketBody", "reason", /history/],
    ["Message", "warning", /password/],
    ["Message", "originalUrl", /came by mail/],
    ["Ticket", "number", /quote/],
    ["TenantConfig", "allowedOrigins", /CORS/],
    ["EmergencyPolicy", "ackWindowMinutes", /acknowledgement/],
    ["EmailSettings", "fromAddress", /From of notifications/],
    ["NewSecret", "secret", /host panel/],
    ["PublicConfig", "expectedResponse", /per priority/],
    ["ErasureResponse", "done", /call again/],
  ])("describes %s.%s for the reader of /api/v1/docs", async (schema, field, description) => {
    expect(describedAs(await document(), schema, field)).toMatch(description);
  });

  it("describes the create-ticket body with department, subject and message", async () => {
    const doc = await document();
    let schema = doc.paths["/api/v1/{tenant}/tickets"]?.post?.requestBody?.content["application/json"]?.schema;
    if (schema?.$ref) schema = doc.components.schemas[schema.$ref.split("/").pop() ?? ""];
    expect(Object.keys(schema?.properties ?? {})).toEqual(expect.arrayContaining(["department", "subject", "message"]));
    expect(schema?.required).toEqual(expect.arrayContaining(["department", "subject", "message"]));
  });

  it("has a readable HTML page", async () => {
    const res = await api<string>("GET", "/api/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.body).toContain("openapi.json");
  });

  it("answers an unknown path with a 404 problem", async () => {
    const t = await newTenant();
    for (const path of ["/nothing/here", `/api/v1/${t.id}/nothing-here`]) {
      const res = await api<Problem>("GET", path);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe("not_found");
    }
  });
});

describe("the API's own words under /api/v1/", () => {
  it("are all reserved: no tenant id can take a path of the API", async () => {
    const own = Object.keys((await document()).paths)
      .map((path) => path.split("/")[3] ?? "")
      .filter((segment) => segment !== "{tenant}");
    for (const segment of [...own, "docs", "openapi.json"]) expect(RESERVED_TENANT_IDS.has(segment)).toBe(true);
  });

  it.each(["admin", "docs"])("refuses the tenant id %s with 400 and creates nothing", async (id) => {
    const res = await api<Problem>("PUT", `/api/v1/admin/tenants/${id}`, {
      headers: ADMIN,
      body: { name: "Squatter" },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ path: "id", message: "this id is reserved" });
    expect(await count("tenants", "id = ?1", id)).toBe(0);
  });
});
