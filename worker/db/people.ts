/**
 * One person's data (docs/privacy.md): the reads of an export and of an erasure, and the statements
 * of an erasure. A person is the requester of tickets, found by their email in any case (index
 * tickets_requester_email, migration 0007). Ticket ids are unique across tenants, so a list of ids
 * read from the tenant's own rows names its tickets and the provider's copies of escalated ones.
 * Lists go to SQL as one JSON parameter (`json_each`), so a statement binds a fixed number of values.
 */

import type { Ticket } from "./tickets";
import { type TicketRow, toTicket } from "./tickets";

/** What erased text, names and emails become. */
export const ERASED = "[erased]";

const IN = (param: string) => `(SELECT value FROM json_each(${param}))`;

/** Up to `limit` of the person's tickets after `afterId`, in id order (keyset pages). */
export async function personTickets(
  db: D1Database,
  tenantId: string,
  email: string,
  afterId: string,
  limit: number,
): Promise<Ticket[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM tickets WHERE tenant_id = ?1 AND lower(requester_email) = ?2 AND id > ?3 ORDER BY id LIMIT ?4`,
    )
    .bind(tenantId, email.toLowerCase(), afterId, limit)
    .all<TicketRow>();
  return results.map(toTicket);
}

export interface ThreadRows {
  messages: {
    id: string;
    ticket_id: string;
    author_kind: string;
    author_name: string;
    body: string;
    source: string;
    created_at: number;
    raw_key: string | null;
  }[];
  history: {
    ticket_id: string;
    field: string;
    from_value: string | null;
    to_value: string | null;
    actor_kind: string;
    actor_name: string;
    reason: string;
    created_at: number;
  }[];
  votes: { ticket_id: string; message_id: string; helpful: number; updated_at: number }[];
  attachments: {
    id: string;
    ticket_id: string;
    message_id: string;
    name: string;
    content_type: string;
    size: number;
    sha256: string | null;
    r2_key: string;
  }[];
}

/**
 * What the person can see of these tickets (no internal notes), in one round trip: messages,
 * history, their own votes (`voterIds`), and the ready files on visible messages.
 */
export async function personThreads(
  db: D1Database,
  tenantId: string,
  ticketIds: string[],
  voterIds: string[],
): Promise<ThreadRows> {
  const ids = JSON.stringify(ticketIds);
  const [messages, history, votes, attachments] = await db.batch([
    db
      .prepare(
        `SELECT id, ticket_id, author_kind, author_name, body, source, created_at, raw_key FROM messages
         WHERE tenant_id = ?1 AND internal = 0 AND ticket_id IN ${IN("?2")} ORDER BY ticket_id, created_at, id`,
      )
      .bind(tenantId, ids),
    db
      .prepare(
        `SELECT ticket_id, field, from_value, to_value, actor_kind, actor_name, reason, created_at FROM ticket_history
         WHERE tenant_id = ?1 AND ticket_id IN ${IN("?2")} ORDER BY ticket_id, created_at, id`,
      )
      .bind(tenantId, ids),
    db
      .prepare(
        `SELECT m.ticket_id, v.message_id, v.helpful, v.updated_at FROM message_votes v JOIN messages m ON m.id = v.message_id
         WHERE m.tenant_id = ?1 AND m.ticket_id IN ${IN("?2")} AND v.voter_id IN ${IN("?3")} ORDER BY v.message_id`,
      )
      .bind(tenantId, ids, JSON.stringify(voterIds)),
    db
      .prepare(
        `SELECT a.id, a.ticket_id, a.message_id, a.name, a.content_type, a.size, a.sha256, a.r2_key
         FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE a.tenant_id = ?1 AND a.state = 'ready' AND m.internal = 0 AND a.ticket_id IN ${IN("?2")}
         ORDER BY a.ticket_id, a.attached_at, a.id`,
      )
      .bind(tenantId, ids),
  ]);
  const rows = <K extends keyof ThreadRows>(r: D1Result | undefined) => (r?.results ?? []) as ThreadRows[K];
  return {
    messages: rows<"messages">(messages),
    history: rows<"history">(history),
    votes: rows<"votes">(votes),
    attachments: rows<"attachments">(attachments),
  };
}

/** One page of an erasure: the person's tickets, the provider's copies of them, and who they were. */
export interface ErasurePage {
  tenantId: string;
  /** The person's own tickets. */
  own: string[];
  /** Their tickets plus the provider's copies of escalated ones (whose text came from them). */
  all: string[];
  /** How their uploads are marked (`user:<id>`, `guest:<ticket>`, `email:<address>`). */
  uploaders: string[];
  /** Who voted (the requester ids). */
  voters: string[];
  email: string;
}

/** The first `limit` tickets still carrying the person's email (an erased page leaves the set). */
export async function erasurePage(
  db: D1Database,
  tenantId: string,
  email: string,
  limit: number,
): Promise<ErasurePage> {
  const lower = email.toLowerCase();
  const { results } = await db
    .prepare(
      `SELECT id, requester_kind, requester_id, escalated_to FROM tickets
       WHERE tenant_id = ?1 AND lower(requester_email) = ?2 ORDER BY id LIMIT ?3`,
    )
    .bind(tenantId, lower, limit)
    .all<{ id: string; requester_kind: "user" | "guest"; requester_id: string; escalated_to: string | null }>();
  const own = results.map((r) => r.id);
  const voters = [...new Set(results.map((r) => r.requester_id))];
  return {
    tenantId,
    own,
    all: [...own, ...results.flatMap((r) => (r.escalated_to ? [r.escalated_to] : []))],
    uploaders: [
      `email:${lower}`,
      ...results.map((r) => (r.requester_kind === "guest" ? `guest:${r.id}` : `user:${r.requester_id}`)),
    ],
    voters,
    email: lower,
  };
}

/** Every R2 object the page's rows point to: attachments (theirs, on their tickets) and mail originals. */
export async function erasureObjects(db: D1Database, p: ErasurePage): Promise<string[]> {
  const all = JSON.stringify(p.all);
  const [files, mails, inbound] = await db.batch<{ key: string }>([
    db
      .prepare(
        `SELECT r2_key AS key FROM attachments WHERE ticket_id IN ${IN("?2")}
           OR (tenant_id = ?1 AND (for_ticket_id IN ${IN("?2")} OR uploader IN ${IN("?3")}))`,
      )
      .bind(p.tenantId, all, JSON.stringify(p.uploaders)),
    db.prepare(`SELECT raw_key AS key FROM messages WHERE raw_key IS NOT NULL AND ticket_id IN ${IN("?1")}`).bind(all),
    db
      .prepare(`SELECT raw_key AS key FROM inbound_mail WHERE raw_key IS NOT NULL AND ticket_id IN ${IN("?1")}`)
      .bind(all),
  ]);
  return [...new Set([files, mails, inbound].flatMap((r) => (r?.results ?? []).map((row) => row.key)))];
}

/**
 * The statements that erase a page, for one change (db/write.ts). Run only after the objects of
 * `erasureObjects` are gone from R2: these forget the rows that point to them, and the last one
 * takes the email off the tickets, so a page that crashed before it is found and erased again.
 * No claims: every statement is idempotent and stands alone.
 */
export function eraseStatements(db: D1Database, p: ErasurePage, now: number): D1PreparedStatement[] {
  const own = JSON.stringify(p.own);
  const all = JSON.stringify(p.all);
  return [
    db
      .prepare(
        `DELETE FROM attachments WHERE ticket_id IN ${IN("?2")}
           OR (tenant_id = ?1 AND (for_ticket_id IN ${IN("?2")} OR uploader IN ${IN("?3")}))`,
      )
      .bind(p.tenantId, all, JSON.stringify(p.uploaders)),
    db
      .prepare(
        `DELETE FROM inbound_mail WHERE ticket_id IN ${IN("?1")}
           OR raw_key IN (SELECT raw_key FROM messages WHERE raw_key IS NOT NULL AND ticket_id IN ${IN("?1")})`,
      )
      .bind(all),
    // Staff text on their tickets goes too: replies quote and name the person. Staff names stay.
    db
      .prepare(
        `UPDATE messages SET body = ?2, raw_key = NULL, warning = NULL,
           author_name = CASE author_kind WHEN 'customer' THEN ?2 ELSE author_name END,
           author_id = CASE author_kind WHEN 'customer' THEN ?2 ELSE author_id END
         WHERE ticket_id IN ${IN("?1")}`,
      )
      .bind(all, ERASED),
    db
      .prepare(
        `UPDATE ticket_history SET actor_id = ?2, actor_name = ?2, reason = ?2
         WHERE actor_kind = 'customer' AND ticket_id IN ${IN("?1")}`,
      )
      .bind(own, ERASED),
    // Votes stay counted for the staff reply, no longer linked to anyone.
    db
      .prepare(
        `UPDATE message_votes SET voter_id = 'erased:' || lower(hex(randomblob(12)))
         WHERE voter_id IN ${IN("?2")} AND message_id IN (SELECT id FROM messages WHERE ticket_id IN ${IN("?1")})`,
      )
      .bind(own, JSON.stringify(p.voters)),
    db
      .prepare(
        `DELETE FROM outbox WHERE notification_id IN (SELECT id FROM notifications WHERE ticket_id IN ${IN("?1")})
           OR (tenant_id = ?2 AND instr(lower(mail_to), ?3) > 0)`,
      )
      .bind(all, p.tenantId, p.email),
    db
      .prepare(`DELETE FROM notifications WHERE ticket_id IN ${IN("?1")} OR (tenant_id = ?2 AND lower(recipient) = ?3)`)
      .bind(all, p.tenantId, p.email),
    db.prepare(`DELETE FROM idempotency_keys WHERE ticket_id IN ${IN("?1")}`).bind(all),
    // Event deliveries carry the ticket and its messages as they were (db/webhook-events.ts): delivered or not, they go.
    db
      .prepare(`DELETE FROM webhook_deliveries WHERE json_extract(payload, '$.data.ticket.id') IN ${IN("?1")}`)
      .bind(all),
    // The provider's copies: their text came from the person; their requester is the reseller and stays.
    db
      .prepare(
        `UPDATE tickets SET subject = ?2, fields = '{}', service_id = NULL, service_label = NULL, sensitive = NULL,
           version = version + 1, updated_at = max(updated_at, ?3)
         WHERE id IN ${IN("?1")} AND id NOT IN ${IN("?4")}`,
      )
      .bind(all, ERASED, now, own),
    // Last: the email leaves the tickets, so an interrupted erasure finds this page again.
    db
      .prepare(
        `UPDATE tickets SET requester_email = ?3, requester_name = ?3, requester_id = 'erased:' || id,
           guest_key_hash = NULL, subject = ?3, fields = '{}', service_id = NULL, service_label = NULL,
           sensitive = NULL, version = version + 1, updated_at = max(updated_at, ?4)
         WHERE tenant_id = ?1 AND id IN ${IN("?2")}`,
      )
      .bind(p.tenantId, own, ERASED, now),
  ];
}
