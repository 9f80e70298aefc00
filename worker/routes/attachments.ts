import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { INLINE_TYPES } from "../attachments/checks";
import { type Disposition, verifyLink } from "../attachments/links";
import { contentDisposition, thumbnailKey } from "../attachments/service";
import { isStaff, requirePrincipal } from "../auth/principal";
import { serverSecret } from "../auth/seal";
import type { AppEnv } from "../context";
import { type Attachment, readAttachment } from "../db/attachments";
import { readMessage } from "../db/messages";
import { ApiError } from "../errors";
import { TenantParam } from "../schemas/params";
import { problems } from "../schemas/problem";
import { visibleTicket } from "../tickets/access";
import { withCredentials } from "./openapi";

/** `/api/v1/{tenant}/attachments`: files on messages, for those who may see them. */
export const attachments = new OpenAPIHono<AppEnv>();

const IdParam = z
  .string()
  .max(64)
  .openapi({ param: { name: "id", in: "path" } });

const DownloadQuery = z.object({
  exp: z.coerce.number().int().optional().openapi({ description: "Expiry of a signed link (from the ticket view)." }),
  sig: z.string().max(100).optional().openapi({ description: "Signature of a signed link (from the ticket view)." }),
  inline: z.literal("1").optional().openapi({
    description:
      "Show a PNG or JPEG inline, full size, instead of downloading it (with credentials; thumbnails are `thumbnailUrl`).",
  }),
});

attachments.openapi(
  createRoute({
    method: "get",
    path: "/{id}",
    operationId: "downloadAttachment",
    tags: ["Attachments"],
    summary: "Download an attachment",
    description:
      "For anyone who can see the ticket it is on: with the usual `Authorization`, or through the signed `url` of the ticket view (valid for at least an hour), which a plain link or image can follow. Always sent as a download (`Content-Disposition: attachment`, `nosniff`, `Content-Security-Policy: sandbox`), except PNG and JPEG with `inline=1`.",
    security: [...withCredentials, {}],
    request: {
      params: z.object({ tenant: TenantParam, id: IdParam }),
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
    const { id } = c.req.valid("param");
    const { exp, sig, inline } = c.req.valid("query");
    const attachment = await readAttachment(c.env.DB, c.get("tenant").id, id);
    const disposition = inline && attachment && INLINE_TYPES.has(attachment.contentType) ? "inline" : "attachment";
    const file = await mayRead(c, attachment, disposition, exp, sig);
    const etag = `"${file.sha256}"`;
    const headers = new Headers({
      "Content-Type": file.contentType,
      "Content-Disposition": contentDisposition(disposition, file.name),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      // Signed links are capabilities that expire: private, and not kept past the link.
      "Cache-Control": "private, max-age=3600",
      ETag: etag,
    });
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return fromR2(c.env.FILES, file.r2Key, headers);
  },
);

attachments.openapi(
  createRoute({
    method: "get",
    path: "/{id}/thumbnail",
    operationId: "downloadThumbnail",
    tags: ["Attachments"],
    summary: "An attachment's thumbnail",
    description:
      "The small image the uploader's browser made of an image attachment (`uploadThumbnail`), for the same people as the file: through the ticket view's signed `thumbnailUrl`, or with the usual `Authorization`. Shown inline, with the type its bytes were checked to be; 404 when the attachment has no thumbnail.",
    security: [...withCredentials, {}],
    request: {
      params: z.object({ tenant: TenantParam, id: IdParam }),
      query: DownloadQuery.omit({ inline: true }),
    },
    responses: {
      200: {
        description: "The thumbnail (WebP, JPEG or PNG).",
        content: Object.fromEntries(
          ["image/webp", "image/jpeg", "image/png"].map((type) => [
            type,
            { schema: z.string().openapi({ format: "binary" }) },
          ]),
        ),
      },
      304: { description: "Not modified (If-None-Match)." },
      401: problems[401],
      404: problems[404],
    },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const { exp, sig } = c.req.valid("query");
    const file = await mayRead(c, await readAttachment(c.env.DB, c.get("tenant").id, id), "thumbnail", exp, sig);
    if (!file.thumbnail) throw notFound();
    // The thumbnail is set once, before the file is attached: the file's hash names it for good.
    const etag = `"${file.sha256}.thumbnail"`;
    const headers = new Headers({
      "Content-Type": file.thumbnail.type,
      "Content-Disposition": "inline",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      "Cache-Control": "private, max-age=3600",
      ETag: etag,
    });
    if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return fromR2(c.env.FILES, thumbnailKey(file.r2Key), headers);
  },
);

const notFound = () => new ApiError("not_found", "No such attachment, or not yours to see.");

/**
 * The attachment, when the caller may read it: through a signed link made for this disposition,
 * or with credentials that can see its ticket (internal notes: staff only). Else 404.
 */
async function mayRead(
  c: Context<AppEnv>,
  attachment: Attachment | null,
  disposition: Disposition,
  exp: number | undefined,
  sig: string | undefined,
): Promise<Attachment & { messageId: string; ticketId: string }> {
  if (!attachment?.messageId || !attachment.ticketId) throw notFound();
  const found = { ...attachment, messageId: attachment.messageId, ticketId: attachment.ticketId };
  const tenant = c.get("tenant");
  if (sig !== undefined || exp !== undefined) {
    const ok = await verifyLink(serverSecret(c.env), tenant.id, found.id, disposition, exp ?? 0, sig ?? "", Date.now());
    if (!ok) throw notFound();
    return found;
  }
  const who = await requirePrincipal(c);
  // Throws 404 for a ticket this caller may not see; internal notes are staff-only.
  await visibleTicket(c.env.DB, who, found.ticketId);
  const message = await readMessage(c.env.DB, tenant.id, found.messageId);
  if (!message || (message.internal && !isStaff(who))) throw notFound();
  return found;
}

async function fromR2(files: R2Bucket, key: string, headers: Headers): Promise<Response> {
  const object = await files.get(key);
  if (!object) {
    console.error(`no object at ${key}`);
    throw notFound();
  }
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}
