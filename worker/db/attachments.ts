import { SEES_INTERNAL, sightParams, TICKET_IN_SIGHT, type TicketSight } from "./sight";
import { insertInto } from "./sql";
import { type Claim, claim } from "./write";

export type AttachmentState = "uploading" | "ready" | "deleting";

export interface Attachment {
  id: string;
  tenantId: string;
  uploader: string;
  forTicketId: string | null;
  r2Key: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string | null;
  state: AttachmentState;
  ticketId: string | null;
  messageId: string | null;
  createdAt: number;
  attachedAt: number | null;
  /** A small image made from an image upload, kept in R2 next to it (thumbnailKey), or null. */
  thumbnail: Thumbnail | null;
}

export interface Thumbnail {
  type: string;
  size: number;
  width: number;
  height: number;
}

interface AttachmentRow {
  id: string;
  tenant_id: string;
  uploader: string;
  for_ticket_id: string | null;
  r2_key: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string | null;
  state: AttachmentState;
  ticket_id: string | null;
  message_id: string | null;
  created_at: number;
  attached_at: number | null;
  thumb_type: string | null;
  thumb_size: number | null;
  thumb_width: number | null;
  thumb_height: number | null;
}

function toAttachment(r: AttachmentRow): Attachment {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    uploader: r.uploader,
    forTicketId: r.for_ticket_id,
    r2Key: r.r2_key,
    name: r.name,
    contentType: r.content_type,
    size: r.size,
    sha256: r.sha256,
    state: r.state,
    ticketId: r.ticket_id,
    messageId: r.message_id,
    createdAt: r.created_at,
    attachedAt: r.attached_at,
    thumbnail:
      r.thumb_type === null
        ? null
        : { type: r.thumb_type, size: r.thumb_size ?? 0, width: r.thumb_width ?? 0, height: r.thumb_height ?? 0 },
  };
}

/** The row written before any byte goes to R2, so no object can exist without one. */
export function insertUploading(
  db: D1Database,
  a: Pick<Attachment, "id" | "tenantId" | "uploader" | "forTicketId" | "r2Key" | "name" | "contentType" | "createdAt">,
): D1PreparedStatement {
  return insertInto(db, "attachments", {
    id: a.id,
    tenant_id: a.tenantId,
    uploader: a.uploader,
    for_ticket_id: a.forTicketId,
    r2_key: a.r2Key,
    name: a.name,
    content_type: a.contentType,
    state: "uploading",
    created_at: a.createdAt,
  });
}

/**
 * The row of an upload that counts against its uploader's allowance of unattached bytes: written,
 * with its declared size, only when the uploader's unattached uploads plus this one fit within
 * `maxPendingBytes` (one statement, so concurrent uploads cannot both squeeze in). No row: refused.
 */
export function insertUploadingWithin(
  db: D1Database,
  a: Pick<Attachment, "id" | "tenantId" | "uploader" | "forTicketId" | "r2Key" | "name" | "contentType" | "createdAt">,
  size: number,
  maxPendingBytes: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO attachments (id, tenant_id, uploader, for_ticket_id, r2_key, name, content_type, size, state, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'uploading', ?9
       WHERE (SELECT coalesce(sum(size), 0) FROM attachments
              WHERE message_id IS NULL AND tenant_id = ?2 AND uploader = ?3 AND state != 'deleting') + ?8 <= ?10`,
    )
    .bind(
      a.id,
      a.tenantId,
      a.uploader,
      a.forTicketId,
      a.r2Key,
      a.name,
      a.contentType,
      size,
      a.createdAt,
      maxPendingBytes,
    );
}

export function markReady(db: D1Database, id: string, size: number, sha256: string): D1PreparedStatement {
  return db
    .prepare("UPDATE attachments SET state = 'ready', size = ?2, sha256 = ?3 WHERE id = ?1 AND state = 'uploading'")
    .bind(id, size, sha256);
}

/** Forgets a refused or failed upload (its object is deleted first, by the caller). */
export function deleteUnattached(db: D1Database, id: string): D1PreparedStatement {
  return db.prepare("DELETE FROM attachments WHERE id = ?1 AND message_id IS NULL").bind(id);
}

export async function readAttachment(db: D1Database, tenantId: string, id: string): Promise<Attachment | null> {
  const row = await db
    .prepare("SELECT * FROM attachments WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<AttachmentRow>();
  return row ? toAttachment(row) : null;
}

export async function readAttachments(db: D1Database, tenantId: string, ids: string[]): Promise<Attachment[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT * FROM attachments WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))`)
    .bind(tenantId, JSON.stringify(ids))
    .all<AttachmentRow>();
  return results.map(toAttachment);
}

/**
 * Attaches one upload to a message, as a claim of the message's change (after the message, which
 * it references): only a ready upload of this uploader, not attached yet, uploaded for this
 * ticket or for a new one. When it was attached meanwhile or expired, the whole change is lost:
 * never a message that silently lost a file, never a file on two messages.
 */
export function attachUpload(
  db: D1Database,
  a: { id: string; tenantId: string; uploader: string; ticketId: string; messageId: string; now: number },
): Claim {
  return claim(
    db
      .prepare(
        `UPDATE attachments SET ticket_id = ?4, message_id = ?5, attached_at = ?6
         WHERE id = ?1 AND tenant_id = ?2 AND uploader = ?3 AND state = 'ready' AND message_id IS NULL
           AND (for_ticket_id IS NULL OR for_ticket_id = ?4)`,
      )
      .bind(a.id, a.tenantId, a.uploader, a.ticketId, a.messageId, a.now),
  );
}

/** The attachments of a ticket's messages (or of one of them), in upload order. */
export async function listTicketAttachments(
  db: D1Database,
  ticketId: string,
  messageId?: string,
): Promise<Attachment[]> {
  const { results } = await db
    .prepare(
      "SELECT * FROM attachments WHERE ticket_id = ?1 AND message_id IS NOT NULL AND (?2 IS NULL OR message_id = ?2) ORDER BY created_at, rowid",
    )
    .bind(ticketId, messageId ?? null)
    .all<AttachmentRow>();
  return results.map(toAttachment);
}

/**
 * The attachments of a ticket's messages in upload order, only when the ticket is in `sight`, and
 * those of internal notes only for staff. Read the result with `attachmentsFrom`.
 */
export function selectVisibleAttachments(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT a.* FROM attachments a
         JOIN messages m ON m.id = a.message_id AND m.tenant_id = a.tenant_id
         JOIN tickets t ON t.id = a.ticket_id AND t.tenant_id = a.tenant_id
       WHERE ${TICKET_IN_SIGHT} AND m.ticket_id = t.id AND (${SEES_INTERNAL} OR m.internal = 0)
       ORDER BY a.created_at, a.rowid`,
    )
    .bind(...sightParams(tenantId, ticketId, sight));
}

export function attachmentsFrom(result: D1Result): Attachment[] {
  return (result.results as AttachmentRow[]).map(toAttachment);
}

/**
 * Records an upload's thumbnail before its bytes go to R2, in one statement that is also the
 * check: only by its uploader, only while it is ready and not yet attached, only for an image, and
 * only once. Answers the upload's R2 key, or null when any of that is not so (nothing written).
 */
export async function claimThumbnail(
  db: D1Database,
  a: { id: string; tenantId: string; uploader: string; imageTypes: string[] } & Thumbnail,
): Promise<string | null> {
  const row = await db
    .prepare(
      `UPDATE attachments SET thumb_type = ?4, thumb_size = ?5, thumb_width = ?6, thumb_height = ?7
       WHERE id = ?1 AND tenant_id = ?2 AND uploader = ?3 AND state = 'ready' AND message_id IS NULL
         AND thumb_type IS NULL AND content_type IN (SELECT value FROM json_each(?8))
       RETURNING r2_key`,
    )
    .bind(a.id, a.tenantId, a.uploader, a.type, a.size, a.width, a.height, JSON.stringify(a.imageTypes))
    .first<{ r2_key: string }>();
  return row?.r2_key ?? null;
}

/** Forgets a thumbnail whose bytes could not be stored (its upload still unattached). */
export function clearThumbnail(db: D1Database, id: string): D1PreparedStatement {
  return db
    .prepare(
      "UPDATE attachments SET thumb_type = NULL, thumb_size = NULL, thumb_width = NULL, thumb_height = NULL WHERE id = ?1 AND message_id IS NULL",
    )
    .bind(id);
}

/** Step 1 of the expiry sweep: claim up to `limit` expired, unattached uploads. */
export async function markExpired(db: D1Database, before: number, limit: number): Promise<void> {
  await db
    .prepare(
      `UPDATE attachments SET state = 'deleting'
       WHERE id IN (SELECT id FROM attachments WHERE message_id IS NULL AND state != 'deleting' AND created_at < ?1 ORDER BY created_at LIMIT ?2)`,
    )
    .bind(before, limit)
    .run();
}

/** Step 2: the claimed rows (from this sweep or one that died), whose objects go next. */
export async function listDeleting(
  db: D1Database,
  limit: number,
): Promise<{ id: string; r2Key: string; hasThumbnail: boolean }[]> {
  const { results } = await db
    .prepare(
      "SELECT id, r2_key, thumb_type IS NOT NULL AS thumb FROM attachments WHERE state = 'deleting' AND message_id IS NULL ORDER BY created_at LIMIT ?1",
    )
    .bind(limit)
    .all<{ id: string; r2_key: string; thumb: number }>();
  return results.map((r) => ({ id: r.id, r2Key: r.r2_key, hasThumbnail: r.thumb === 1 }));
}

/** Step 3, once their objects are gone. */
export function deleteClaimed(db: D1Database, ids: string[]): D1PreparedStatement {
  return db
    .prepare(
      "DELETE FROM attachments WHERE state = 'deleting' AND message_id IS NULL AND id IN (SELECT value FROM json_each(?1))",
    )
    .bind(JSON.stringify(ids));
}
