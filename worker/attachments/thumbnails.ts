/**
 * Thumbnails of image uploads. The browser that picked the image has it decoded already, so it
 * makes the thumbnail (widget/thumbnail.ts) and sends it right after the upload; the server only
 * checks and stores it: no image decoding in the Worker, no per-transformation cost, the same
 * locally and in production. Mail attachments have no browser and so no thumbnail (the view shows
 * their extension). The Images binding could make them on the server (docs/api.md, "Thumbnails").
 */
import type { Principal } from "../auth/principal";
import { claimThumbnail, clearThumbnail, readAttachment } from "../db/attachments";
import type { Env } from "../env";
import { ApiError } from "../errors";
import type { Tenant } from "../schemas/tenant";
import { uploaderOf } from "../tickets/access";
import { INLINE_TYPES } from "./checks";
import { thumbnailKey } from "./service";
import { checkThumbnail, MAX_THUMBNAIL_BYTES, type ThumbnailShape, tooLarge } from "./thumbnail-check";

export interface ThumbnailView extends ThumbnailShape {
  size: number;
}

/**
 * Checks a thumbnail for one of the caller's uploads (image, ready, not attached, none yet) and
 * stores it. Everything is checked before anything is written; a refusal leaves no row change and
 * no object. The record comes first (one statement, which is also the ownership check), then the
 * bytes; if storing them fails, the record is cleared again.
 */
export async function receiveThumbnail(
  env: Env,
  tenant: Tenant,
  who: Principal,
  upload: { id: string; length: string | undefined; body: ReadableStream<Uint8Array> | null },
): Promise<ThumbnailView> {
  if (upload.length === undefined || !/^\d{1,12}$/.test(upload.length)) {
    throw new ApiError("length_required", "Send the thumbnail with a Content-Length header.");
  }
  if (Number(upload.length) > MAX_THUMBNAIL_BYTES) throw tooLarge();
  const bytes = await readAtMost(upload.body, MAX_THUMBNAIL_BYTES);
  const shape = checkThumbnail(bytes);
  const uploader = uploaderOf(who);
  const key = await claimThumbnail(env.DB, {
    id: upload.id,
    tenantId: tenant.id,
    uploader,
    imageTypes: [...INLINE_TYPES],
    ...shape,
    size: bytes.length,
  });
  if (key === null) throw await whyNot(env, tenant, uploader, upload.id);
  try {
    await env.FILES.put(thumbnailKey(key), bytes, { httpMetadata: { contentType: shape.type } });
  } catch (error) {
    console.error(`thumbnail of ${upload.id} not stored`, error);
    await clearThumbnail(env.DB, upload.id).run();
    throw new ApiError("unavailable", "The thumbnail could not be stored; please try again.");
  }
  return { ...shape, size: bytes.length };
}

/** The body, whole, refused as soon as it passes `max` bytes (whatever its Content-Length said). */
async function readAtMost(body: ReadableStream<Uint8Array> | null, max: number): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** Why the claim wrote nothing, read only then: the usual answer costs no extra round trip. */
async function whyNot(env: Env, tenant: Tenant, uploader: string, id: string): Promise<ApiError> {
  const a = await readAttachment(env.DB, tenant.id, id);
  if (!a || a.uploader !== uploader || a.state !== "ready")
    return new ApiError("not_found", "No such upload, or not yours.");
  const refuse = (message: string, detail: string) =>
    new ApiError("attachment_refused", detail, [{ path: "id", message }]);
  if (!INLINE_TYPES.has(a.contentType))
    return refuse("is not an image upload", "Only PNG and JPEG uploads have thumbnails.");
  if (a.messageId !== null)
    return refuse("is already attached", "The upload is already on a message; send its thumbnail before that.");
  return refuse("already has a thumbnail", "This upload already has a thumbnail.");
}
