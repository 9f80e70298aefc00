import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { receiveUpload } from "../attachments/service";
import { MAX_THUMBNAIL_BYTES, MAX_THUMBNAIL_SIDE } from "../attachments/thumbnail-check";
import { receiveThumbnail } from "../attachments/thumbnails";
import { requirePrincipal } from "../auth/principal";
import type { AppEnv } from "../context";
import { rateLimit } from "../middleware/rate-limit";
import { TenantParam } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import { ThumbnailResponse, UploadResponse } from "../schemas/ticket";
import { withCredentials } from "./openapi";

/** `/api/v1/{tenant}/uploads`: files on their way to a ticket or a reply. */
export const uploads = new OpenAPIHono<AppEnv>();

const UploadQuery = z.object({
  name: z.string().min(1).max(1000).openapi({
    description: "The file's name on the uploader's machine; cleaned, and kept only for display.",
    example: "error-screenshot.png",
  }),
  ticket: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: "The ticket this file is for, when it will go on a reply; leave out for a new ticket." }),
});

uploads.openapi(
  createRoute({
    method: "post",
    path: "/",
    operationId: "uploadFile",
    middleware: rateLimit("uploads"),
    tags: ["Attachments"],
    summary: "Upload one file",
    description:
      "The body is the file's bytes (any Content-Type; the server decides the type from the name's extension and the content, never the header), with a Content-Length. The file is streamed to storage and checked on the way: the extension must be in the tenant's allow-list and the content must match it (JPEG, PNG, PDF and ZIP by signature; `.txt`/`.log` must be UTF-8 text without NUL bytes), within the tenant's size limit. Send the returned id in `attachmentIds` when filing a ticket or replying; an upload not attached within 24 hours is deleted. For a PNG or JPEG, send a small thumbnail before attaching it (`uploadThumbnail`), or the ticket view shows its extension. Guests upload for their ticket with their access key.",
    security: withCredentials,
    request: {
      params: z.object({ tenant: TenantParam }),
      query: UploadQuery,
      body: {
        required: true,
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      },
    },
    responses: {
      201: { description: "Stored and checked.", content: { "application/json": { schema: UploadResponse } } },
      400: problems[400],
      401: problems[401],
      404: problems[404],
      411: problem("No Content-Length: send the file with its length (browsers do)."),
      413: problem("The file is larger than the tenant's per-file limit."),
      415: problem("The extension is not accepted, or the content does not match it."),
      422: problem("The file is empty, or its name has nothing usable left once cleaned."),
      429: problem(
        "Too many uploads (Retry-After says when to try again), or this person's files waiting to be attached already fill the tenant's allowance.",
      ),
    },
  }),
  async (c) => {
    const who = await requirePrincipal(c);
    const { name, ticket } = c.req.valid("query");
    const upload = await receiveUpload(c.env, c.get("tenant"), who, {
      name,
      forTicketId: ticket ?? null,
      length: c.req.header("content-length"),
      body: c.req.raw.body,
      now: Date.now(),
    });
    return c.json({ upload }, 201);
  },
);

uploads.openapi(
  createRoute({
    method: "put",
    path: "/{id}/thumbnail",
    operationId: "uploadThumbnail",
    tags: ["Attachments"],
    summary: "Add a thumbnail to an image upload",
    description: `The body is a small image made from the uploaded PNG or JPEG (the widget makes a 96 px WebP in the browser), with a Content-Length: WebP, JPEG or PNG, decided from its bytes, at most ${MAX_THUMBNAIL_BYTES / 1024} KB and ${MAX_THUMBNAIL_SIDE} px a side (read from its header). Only by the uploader, once, before the upload is attached; the thumbnail then goes with it (the ticket view's \`thumbnailUrl\`) and is deleted with it. A refused thumbnail leaves nothing behind. Not rate-limited on its own: one per upload.`,
    security: withCredentials,
    request: {
      params: z.object({
        tenant: TenantParam,
        id: z
          .string()
          .max(64)
          .openapi({ param: { name: "id", in: "path" }, description: "The upload's id." }),
      }),
      body: {
        required: true,
        content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
      },
    },
    responses: {
      201: { description: "Stored.", content: { "application/json": { schema: ThumbnailResponse } } },
      401: problems[401],
      404: problem("No such upload, or not the caller's."),
      411: problem("No Content-Length."),
      413: problem(`The thumbnail is larger than ${MAX_THUMBNAIL_BYTES / 1024} KB.`),
      415: problem("The content is not a WebP, JPEG or PNG image."),
      422: problem(
        "Empty, larger than the allowed size in pixels, or the upload is not an image, is already attached or already has a thumbnail; `errors` says which field and why.",
      ),
    },
  }),
  async (c) => {
    const who = await requirePrincipal(c);
    const { id } = c.req.valid("param");
    const thumbnail = await receiveThumbnail(c.env, c.get("tenant"), who, {
      id,
      length: c.req.header("content-length"),
      body: c.req.raw.body,
    });
    return c.json({ thumbnail }, 201);
  },
);
