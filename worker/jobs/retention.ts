/**
 * Records kept only to recognise retries, dropped once no retry can come: Idempotency-Keys after
 * a week (a widget's draft keeps its key until sent, so this is generous), inbound Message-IDs
 * after 30 days (mail systems give up redelivering within days). Bounded per run; idempotent.
 */
export const IDEMPOTENCY_KEY_DAYS = 7;
export const INBOUND_MAIL_DAYS = 30;
const DAY_MS = 86_400_000;

export async function sweepRetention(db: D1Database, now: number, limit = 1000): Promise<{ idempotencyKeys: number; inboundMail: number }> {
  const [keys, mail] = await db.batch([
    db
      .prepare("DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE created_at < ?1 LIMIT ?2)")
      .bind(now - IDEMPOTENCY_KEY_DAYS * DAY_MS, limit),
    db.prepare("DELETE FROM inbound_mail WHERE rowid IN (SELECT rowid FROM inbound_mail WHERE created_at < ?1 LIMIT ?2)").bind(now - INBOUND_MAIL_DAYS * DAY_MS, limit),
  ]);
  return { idempotencyKeys: keys?.meta.changes ?? 0, inboundMail: mail?.meta.changes ?? 0 };
}
