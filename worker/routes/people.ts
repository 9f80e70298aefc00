import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { type DataAdmin, requireDataAdmin } from "../auth/data-admin";
import type { AppEnv } from "../context";
import { insertAudit } from "../db/audit";
import { erasePerson } from "../people/erase";
import { personExport, tenantExport } from "../people/export";
import { type ZipEntry, zipStream } from "../people/zip";
import { TenantPath } from "../schemas/params";
import { ErasureResponse, PersonPath, zipResponse } from "../schemas/people";
import { problems } from "../schemas/problem";
import { jsonResponse } from "./openapi";

/** The tenant's admin (embed token) or the provider's operator (ADMIN_SECRET): auth/data-admin.ts. */
const security: Record<string, string[]>[] = [{ embedToken: [] }, { adminSecret: [] }];

/** Records who exported (never whose data: the entry keeps no personal data), then streams the archive. */
async function zipDownload(
  c: { env: AppEnv["Bindings"] },
  tenantId: string,
  by: DataAdmin,
  action: "people.export" | "tenant.export",
  file: string,
  entries: (now: number) => AsyncIterable<ZipEntry>,
): Promise<Response> {
  const now = Date.now();
  await insertAudit(c.env.DB, {
    tenantId,
    ticketId: null,
    actorId: by.id,
    actorName: by.name,
    action,
    detail: {},
    createdAt: now,
  }).run();
  return new Response(zipStream(entries(now), now), {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${file}"`,
      "Cache-Control": "no-store",
    },
  });
}

const stamp = (now: number) => new Date(now).toISOString().slice(0, 10);

/** `/api/v1/{tenant}/people`: one person's data on request (GDPR / UK GDPR; docs/privacy.md). */
export const people = new OpenAPIHono<AppEnv>();

people.openapi(
  createRoute({
    method: "get",
    path: "/{email}/export",
    operationId: "exportPerson",
    tags: ["People's data"],
    summary: "Export one person's data (admin)",
    description:
      "A ZIP, streamed as it is made: `person.json`; `tickets/<number>.json` for each ticket they filed (the ticket, its messages without internal notes, its history, their votes); `files/<number>/<id>-<name>`, each attachment byte for byte; `mail/<number>/<message>.eml`, the mails they sent, as received. An audit entry `people.export` records who exported, not whose data. For the tenant's admins (agents 403, customers 404) or the provider with ADMIN_SECRET.",
    security,
    request: { params: PersonPath },
    responses: {
      200: zipResponse("The archive."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const by = await requireDataAdmin(c);
    const { email } = c.req.valid("param");
    const tenant = c.get("tenant");
    return zipDownload(c, tenant.id, by, "people.export", `${tenant.id}-person-${stamp(Date.now())}.zip`, (now) =>
      personExport(c.env, tenant, email, now),
    );
  },
);

people.openapi(
  createRoute({
    method: "delete",
    path: "/{email}",
    operationId: "erasePerson",
    tags: ["People's data"],
    summary: "Erase one person's data (admin)",
    description:
      "Their tickets stay as numbers and statuses, with subject, fields, messages (staff replies on them too) and names replaced by `[erased]` and their email gone; their attachments and mail originals are deleted from R2 and D1; guest keys revoked; notices and mail to them, idempotency records deleted; their votes kept only as counts. The provider's copies of their escalated tickets are erased the same way. An audit entry `people.erase` keeps the counts, no personal data. Idempotent: calling again erases what is left (nothing, or what an interrupted call did not finish); `done: false` asks for another call when very many tickets remain.",
    security,
    request: { params: PersonPath },
    responses: {
      200: jsonResponse(ErasureResponse, "What this call erased."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const by = await requireDataAdmin(c);
    const { email } = c.req.valid("param");
    const erased = await erasePerson(c.env, c.get("tenant").id, email, by, Date.now());
    c.header("Cache-Control", "no-store");
    return c.json({ erased: { tickets: erased.tickets, files: erased.files }, done: erased.done }, 200);
  },
);

/** `/api/v1/{tenant}/export`: the tenant's whole data, so that a provider or reseller leaving is not locked in. */
export const tenantExports = new OpenAPIHono<AppEnv>();

tenantExports.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "exportTenant",
    tags: ["People's data"],
    summary: "Export the tenant's whole data (admin)",
    description:
      "A ZIP, streamed as it is made: `tenant.json` (settings, without the alert webhook's secret), `tables/<table>.ndjson` (every row of the tenant, columns as in schema.sql; the sensitive field and guest key hashes left out), and `files/<R2 key>` for every attachment and mail original. Embed secrets and idempotency records are not exported. An audit entry `tenant.export`. For the tenant's admins or the provider with ADMIN_SECRET.",
    security,
    request: { params: TenantPath },
    responses: { 200: zipResponse("The archive."), 401: problems[401], 403: problems[403], 404: problems[404] },
  }),
  async (c) => {
    const by = await requireDataAdmin(c);
    const tenant = c.get("tenant");
    return zipDownload(c, tenant.id, by, "tenant.export", `${tenant.id}-export-${stamp(Date.now())}.zip`, (now) =>
      tenantExport(c.env, tenant, now),
    );
  },
);
