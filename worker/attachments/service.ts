/**
 * Uploads: streamed through the content checks into R2, recorded in D1 around it so that no
 * object ever exists without a row, and nothing is left behind by a refusal.
 */
import type { Principal } from "../auth/principal";
import { serverSecret } from "../auth/seal";
import {
  type Attachment,
  attachUpload,
  deleteClaimed,
  deleteUnattached,
  insertUploading,
  insertUploadingWithin,
  listDeleting,
  listTicketAttachments,
  markExpired,
  markReady,
  readAttachments,
} from "../db/attachments";
import type { Claim } from "../db/write";
import type { Env } from "../env";
import { ApiError } from "../errors";
import { ATTACHMENT_EXTENSIONS, type AttachmentExtension, type Tenant } from "../schemas/tenant";
import type { AttachmentView, UploadView } from "../schemas/ticket";
import { uploaderOf, visibleTicket } from "../tickets/access";
import { CONTENT_TYPES, ContentCheck, cleanFileName, extensionOf } from "./checks";
import { type Disposition, linkSigner } from "./links";

/** Unattached uploads are deleted after this long. */
export const UPLOAD_TTL_MS = 24 * 3_600_000;

/** The only place an object key is made: tenant, ticket (or `new`), attachment id. Never the file's name. */
export function r2Key(tenantId: string, ticketId: string | null, attachmentId: string): string {
  return `${tenantId}/${ticketId ?? "new"}/${attachmentId}`;
}

/** Where an upload's thumbnail is kept: next to it, so whatever finds the upload finds its thumbnail. */
export function thumbnailKey(uploadKey: string): string {
  return `${uploadKey}.thumbnail`;
}

/** Where the original of a mail that became a message is kept. */
export function rawMailKey(tenantId: string, ticketId: string, messageId: string): string {
  return `${tenantId}/${ticketId}/mail/${messageId}.eml`;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

function isAllowed(ext: string, tenant: Tenant): ext is AttachmentExtension {
  return (
    (ATTACHMENT_EXTENSIONS as readonly string[]).includes(ext) &&
    (tenant.config.attachments.allowedExtensions as string[]).includes(ext)
  );
}

export async function receiveUpload(
  env: Env,
  tenant: Tenant,
  who: Principal,
  upload: {
    name: string;
    forTicketId: string | null;
    length: string | undefined;
    body: ReadableStream<Uint8Array> | null;
    now: number;
  },
): Promise<UploadView> {
  let forTicketId = upload.forTicketId;
  if (who.kind === "guest") {
    // A guest's key opens one ticket; whatever they upload is for that ticket.
    if (forTicketId !== null && forTicketId !== who.ticketId)
      throw new ApiError("not_found", "No such ticket, or not yours to see.");
    forTicketId = who.ticketId;
  } else if (forTicketId !== null) {
    forTicketId = (await visibleTicket(env.DB, who, forTicketId)).id;
  }
  return storeFile(env, tenant, {
    ...upload,
    forTicketId,
    uploader: uploaderOf(who),
    maxPendingBytes: tenant.config.limits.pendingUploadBytes,
  });
}

/**
 * Checks a file and stores it, for an upload or a mail's attachment: name, type and size rules
 * first, then the content as it streams to R2. Throws the refusal (ApiError) and leaves nothing.
 */
export async function storeFile(
  env: Env,
  tenant: Tenant,
  upload: {
    name: string;
    uploader: string;
    forTicketId: string | null;
    length: string | undefined;
    body: ReadableStream<Uint8Array> | null;
    now: number;
    /** For an upload waiting to be attached: the most its uploader may hold unattached, this file included. */
    maxPendingBytes?: number;
  },
): Promise<UploadView> {
  const rules = tenant.config.attachments;
  const name = cleanFileName(upload.name);
  if (name === null) {
    throw new ApiError("attachment_refused", "The file name has nothing usable left once cleaned.", [
      { path: "name", message: "is empty once cleaned" },
    ]);
  }
  const ext = extensionOf(name);
  if (!isAllowed(ext, tenant)) {
    const what = ext ? `${ext} files are` : "Files without an extension are";
    throw new ApiError(
      "unsupported_file_type",
      `${what} not accepted here. Accepted: ${rules.allowedExtensions.join(" ")}.`,
      [{ path: "name", message: `${ext || "no extension"} is not an accepted type` }],
    );
  }
  if (upload.length === undefined || !/^\d{1,12}$/.test(upload.length)) {
    throw new ApiError("length_required", "Send the file with a Content-Length header.");
  }
  const length = Number(upload.length);
  if (length === 0 || upload.body === null) {
    throw new ApiError("attachment_refused", "The file is empty.", [{ path: "file", message: "is empty" }]);
  }
  if (length > rules.maxFileBytes) {
    throw new ApiError(
      "file_too_large",
      `The file is ${megabytes(length)}; the limit is ${megabytes(rules.maxFileBytes)} per file.`,
      [{ path: "file", message: `is larger than ${megabytes(rules.maxFileBytes)}` }],
    );
  }

  const forTicketId = upload.forTicketId;
  const id = crypto.randomUUID();
  const key = r2Key(tenant.id, forTicketId, id);
  const contentType = CONTENT_TYPES[ext];
  const row = {
    id,
    tenantId: tenant.id,
    uploader: upload.uploader,
    forTicketId,
    r2Key: key,
    name,
    contentType,
    createdAt: upload.now,
  };
  if (upload.maxPendingBytes === undefined) await insertUploading(env.DB, row).run();
  else {
    const { meta } = await insertUploadingWithin(env.DB, row, length, upload.maxPendingBytes).run();
    if (meta.changes === 0) {
      throw new ApiError(
        "pending_uploads_full",
        `Your files waiting to be attached would exceed ${megabytes(upload.maxPendingBytes)}: send them with a ticket or a reply first (unattached files are deleted after 24 hours).`,
        [
          {
            path: "file",
            message: `does not fit in the ${megabytes(upload.maxPendingBytes)} of unattached files allowed`,
          },
        ],
      );
    }
  }

  const check = new ContentCheck(ext);
  // R2 needs the length up front; FixedLengthStream also fails a body that is shorter or longer than it said.
  const sized = new FixedLengthStream(length);
  const [piped, stored] = await Promise.allSettled([
    upload.body.pipeThrough(check.stream).pipeTo(sized.writable),
    env.FILES.put(key, sized.readable, { httpMetadata: { contentType } }),
  ]);
  if (piped.status === "rejected" || stored.status === "rejected") {
    await forget(env, id, key);
    if (check.refusal) throw check.refusal;
    const reason =
      piped.status === "rejected" ? piped.reason : stored.status === "rejected" ? stored.reason : undefined;
    console.error(`upload ${id} failed`, reason);
    // The client's body ended early or ran long (FixedLengthStream), or storage failed: either way, try again.
    throw new ApiError("unavailable", "The file could not be stored; please try again.");
  }
  await markReady(env.DB, id, check.size, await check.sha256()).run();
  return { id, name, size: check.size, type: contentType };
}

/** Removes a failed upload's object, then its row. If this dies too, the expiry sweep finishes it. */
async function forget(env: Env, id: string, key: string): Promise<void> {
  try {
    await env.FILES.delete(key);
    await deleteUnattached(env.DB, id).run();
  } catch (error) {
    console.error(`could not clean up upload ${id}; the expiry sweep will`, error);
  }
}

/** The claims that attach the planned files to a message, for the message's own change. */
export type AttachmentPlan = (ticketId: string, messageId: string, now: number) => Claim[];

const notAttachable = (i: number) => ({
  path: `attachmentIds.${i}`,
  message: "is not an upload of yours waiting to be attached",
});

/**
 * Checks a message's attachment ids before its change is written, so that the usual mistakes get
 * a precise answer; the claims returned re-check it all inside the change (concurrent attaches,
 * expiry), where a failure loses the whole write, and the caller checks again to say which.
 */
export async function planAttachments(
  env: Env,
  tenant: Tenant,
  /** Whose uploads the message may attach (uploaderOf, or a mail's sender). */
  uploader: string,
  ids: string[],
  /** The existing ticket the message goes on, or null for a new one. */
  ticketId: string | null,
): Promise<AttachmentPlan> {
  const max = tenant.config.attachments.maxFilesPerMessage;
  if (ids.length > max) {
    throw new ApiError("attachment_refused", `At most ${max} files can go on one message.`, [
      { path: "attachmentIds", message: `has more than ${max} files` },
    ]);
  }
  const found = new Map((await readAttachments(env.DB, tenant.id, ids)).map((a) => [a.id, a]));
  const errors = ids.flatMap((id, i) => {
    const a = found.get(id);
    const forThis = a?.forTicketId === null || a?.forTicketId === ticketId;
    return a && a.uploader === uploader && a.state === "ready" && a.messageId === null && forThis
      ? []
      : [notAttachable(i)];
  });
  if (errors.length)
    throw new ApiError("attachment_refused", errors.map((e) => `${e.path}: ${e.message}`).join("; "), errors);
  return (ticketId, messageId, now) =>
    ids.map((id) => attachUpload(env.DB, { id, tenantId: tenant.id, uploader, ticketId, messageId, now }));
}

export function contentDisposition(disposition: Disposition, name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The attachments of a ticket's messages (or of one message), with signed links, by message id. */
export async function attachmentViews(
  env: Env,
  origin: string,
  tenantId: string,
  where: { ticketId: string; messageId?: string },
  now: number,
): Promise<Map<string, AttachmentView[]>> {
  return signedAttachmentViews(
    env,
    origin,
    tenantId,
    await listTicketAttachments(env.DB, where.ticketId, where.messageId),
    now,
  );
}

/** Attached files as the API shows them, by message id, with signed links. */
export async function signedAttachmentViews(
  env: Env,
  origin: string,
  tenantId: string,
  files: Attachment[],
  now: number,
): Promise<Map<string, AttachmentView[]>> {
  const byMessage = new Map<string, AttachmentView[]>();
  if (files.length === 0) return byMessage;
  const sign = await linkSigner(serverSecret(env), origin, tenantId, now);
  for (const a of files) {
    const view: AttachmentView = {
      id: a.id,
      name: a.name,
      size: a.size,
      type: a.contentType,
      url: await sign(a.id, "attachment"),
      // Its thumbnail, never the original: a 48 px image must not cost megabytes. None (the extension is shown) for a file that has none: not an image, or it came by mail.
      thumbnailUrl: a.thumbnail ? await sign(a.id, "thumbnail") : null,
    };
    const list = byMessage.get(a.messageId!) ?? [];
    list.push(view);
    byMessage.set(a.messageId!, list);
  }
  return byMessage;
}

export interface UploadSweepStats {
  deleted: number;
}

/**
 * Cron: deletes uploads never attached within UPLOAD_TTL_MS (and any left 'uploading' by a
 * crash). Claim, delete the objects, delete the rows: a sweep that dies between steps leaves
 * claimed rows that the next one finishes. Bounded per run.
 */
export async function sweepExpiredUploads(
  env: Env,
  now: number,
  options: { batch?: number; rounds?: number } = {},
): Promise<UploadSweepStats> {
  // At most 1,000 keys per R2 delete: an upload and its thumbnail are two.
  const batch = options.batch ?? 500;
  const stats: UploadSweepStats = { deleted: 0 };
  for (let round = 0; round < (options.rounds ?? 10); round++) {
    await markExpired(env.DB, now - UPLOAD_TTL_MS, batch);
    const claimed = await listDeleting(env.DB, batch);
    if (claimed.length === 0) break;
    await env.FILES.delete(claimed.flatMap((c) => (c.hasThumbnail ? [c.r2Key, thumbnailKey(c.r2Key)] : [c.r2Key])));
    const result = await deleteClaimed(
      env.DB,
      claimed.map((c) => c.id),
    ).run();
    stats.deleted += result.meta.changes;
    if (claimed.length < batch) break;
  }
  return stats;
}
