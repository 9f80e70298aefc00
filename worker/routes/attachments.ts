import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { INLINE_TYPES } from "../attachments/checks";
import { verifyLink } from "../attachments/links";
import { contentDisposition } from "../attachments/service";
import { isStaff, requirePrincipal } from "../auth/principal";
import { serverSecret } from "../auth/seal";
import type { AppEnv } from "../context";
import { readAttachment } from "../db/attachments";
import { readMessage } from "../db/messages";
import { ApiError } from "../errors";
import { TenantParam } from "../schemas/params";
import { problems } from "../schemas/problem";
import { visibleTicket } from "../tickets/access";
import { withCredentials } from "./openapi";

/** `/api/v1/{tenant}/attachments`: files on messages, for those who may see them. */
export const attachments = new OpenAPIHono<AppEnv>();

const DownloadQuery = z.object({
  exp: z.coerce.number().int().optional().openapi({ description: "Expiry of a signed link (from the ticket view)." }),
  sig: z.string().max(100).optional().openapi({ description: "Signature of a signed link (from the ticket view)." }),
  inline: z
    .literal("1")
    .optional()
    .openapi({ description: "Show a PNG or JPEG inline (thumbnails) instead of downloading it." }),
});

attachments.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    operationId: "downloadAttachment",
    tags: ["Attachments"],
    summary: "Download an attachment",
    description:
      "For anyone who can see the ticket it is on: with the usual `Authorization`, or through the signed `url`/`thumbnailUrl` of the ticket view (valid for at least an hour), which a plain link or image can follow. Always sent as a download (`Content-Disposition: attachment`, `nosniff`, `Content-Security-Policy: sandbox`), except PNG and JPEG with `inline=1`.",
    security: [...withCredentials, {}],
    request: {
      params: z.object({
        tenant: TenantParam,
        id: z
          .string()
          .max(64)
          .openapi({ param: { name: "id", in: "path" } }),
      }),
      query: DownloadQuery,
    },
    responses: {
      200: {
        description: "The file.",
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      },
      304: { description: "Not modified (If-None-Match)." },
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const tenant = c.get("tenant");
    const { id } = c.req.valid("param");
    const { exp, sig, inline } = c.req.valid("query");
    const notFound = () => new ApiError("not_found", "No such attachment, or not yours to see.");
    const attachment = await readAttachment(c.env.DB, tenant.id, id);
    const disposition = inline && attachment && INLINE_TYPES.has(attachment.contentType) ? "inline" : "attachment";
    if (sig !== undefined || exp !== undefined) {
      const ok = await verifyLink(serverSecret(c.env), tenant.id, id, disposition, exp ?? 0, sig ?? "", Date.now());
      if (!ok || !attachment?.messageId) throw notFound();
    } else {
      const who = await requirePrincipal(c);
      if (!attachment?.messageId || !attachment.ticketId) throw notFound();
      // Throws 404 for a ticket this caller may not see; internal notes are staff-only.
      await visibleTicket(c.env.DB, who, attachment.ticketId);
      const message = await readMessage(c.env.DB, tenant.id, attachment.messageId);
      if (!message || (message.internal && !isStaff(who))) throw notFound();
    }

    const etag = `"${attachment.sha256}"`;
    const headers = new Headers({
      "Content-Type": attachment.contentType,
      "Content-Disposition": contentDisposition(disposition, attachment.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      // Signed links are capabilities that expire: private, and not kept past the link.
      "Cache-Control": "private, max-age=3600",
      ETag: etag,
    });
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    const object = await c.env.FILES.get(attachment.r2Key);
    if (!object) {
      console.error(`attachment ${attachment.id} has no object at ${attachment.r2Key}`);
      throw notFound();
    }
    headers.set("Content-Length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  },
);
