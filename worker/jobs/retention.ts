import { deleteIdempotencyKeysBefore } from "../db/idempotency";
import { deleteInboundMailBefore } from "../db/inbound-mail";
import { writeChange } from "../db/write";

/**
 * Records kept only to recognise retries, dropped once no retry can come: Idempotency-Keys after
 * a week (a widget's draft keeps its key until sent, so this is generous), inbound Message-IDs
 * after 30 days (mail systems give up redelivering within days). Bounded per run; idempotent.
 */
export const IDEMPOTENCY_KEY_DAYS = 7;
export const INBOUND_MAIL_DAYS = 30;
const DAY_MS = 86_400_000;

export async function sweepRetention(
  db: D1Database,
  now: number,
  limit = 1000,
): Promise<{ idempotencyKeys: number; inboundMail: number }> {
  const { results } = await writeChange(db, [
    deleteIdempotencyKeysBefore(db, now - IDEMPOTENCY_KEY_DAYS * DAY_MS, limit),
    deleteInboundMailBefore(db, now - INBOUND_MAIL_DAYS * DAY_MS, limit),
  ]);
  const [keys, mail] = results;
  return { idempotencyKeys: keys?.meta.changes ?? 0, inboundMail: mail?.meta.changes ?? 0 };
}
