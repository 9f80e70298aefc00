import { SEES_INTERNAL, sightParams, TICKET_IN_SIGHT, type TicketSight } from "./sight";
import { insertInto } from "./sql";

export type AuthorKind = "customer" | "agent" | "system";

export interface Message {
  id: string;
  tenantId: string;
  ticketId: string;
  authorKind: AuthorKind;
  authorId: string;
  authorName: string;
  body: string;
  internal: boolean;
  source: "web" | "email" | "system";
  createdAt: number;
  /** For a message that came by mail: its original in R2. */
  rawKey?: string | null;
  /** For agents: "password" when the text looks like it holds a credential. */
  warning?: string | null;
}

export interface MessageWithVotes extends Message {
  helpful: number;
  notHelpful: number;
  myVote: boolean | null;
}

interface MessageRow {
  id: string;
  tenant_id: string;
  ticket_id: string;
  author_kind: AuthorKind;
  author_id: string;
  author_name: string;
  body: string;
  internal: number;
  source: Message["source"];
  created_at: number;
  raw_key: string | null;
  warning: string | null;
}

function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    ticketId: r.ticket_id,
    authorKind: r.author_kind,
    authorId: r.author_id,
    authorName: r.author_name,
    body: r.body,
    internal: r.internal === 1,
    source: r.source,
    createdAt: r.created_at,
    rawKey: r.raw_key,
    warning: r.warning,
  };
}

export function insertMessage(db: D1Database, m: Message): D1PreparedStatement {
  return insertInto(db, "messages", {
    id: m.id,
    tenant_id: m.tenantId,
    ticket_id: m.ticketId,
    author_kind: m.authorKind,
    author_id: m.authorId,
    author_name: m.authorName,
    body: m.body,
    internal: m.internal ? 1 : 0,
    source: m.source,
    created_at: m.createdAt,
    raw_key: m.rawKey ?? null,
    warning: m.warning ?? null,
  });
}

/**
 * A ticket's messages in order, with vote counts and `voterId`'s own vote (with a guest's key
 * unchecked, the ticket's requester's, the guest's own): only when the ticket
 * is in `sight`, and internal notes only for staff. Read the result with `messagesWithVotes`.
 */
export function selectVisibleMessages(
  db: D1Database,
  tenantId: string,
  ticketId: string,
  sight: TicketSight,
  voterId: string | null,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT m.*,
         (SELECT count(*) FROM message_votes v WHERE v.message_id = m.id AND v.helpful = 1) AS helpful_count,
         (SELECT count(*) FROM message_votes v WHERE v.message_id = m.id AND v.helpful = 0) AS not_helpful_count,
         (SELECT v.helpful FROM message_votes v WHERE v.message_id = m.id
           AND v.voter_id = CASE WHEN ?3 = 'key' THEN t.requester_id ELSE ?5 END) AS my_vote
       FROM messages m JOIN tickets t ON t.id = m.ticket_id AND t.tenant_id = m.tenant_id
       WHERE ${TICKET_IN_SIGHT} AND (${SEES_INTERNAL} OR m.internal = 0)
       ORDER BY m.created_at, m.id`,
    )
    .bind(...sightParams(tenantId, ticketId, sight), voterId);
}

export function messagesWithVotes(result: D1Result): MessageWithVotes[] {
  const rows = result.results as (MessageRow & {
    helpful_count: number;
    not_helpful_count: number;
    my_vote: number | null;
  })[];
  return rows.map((r) => ({
    ...toMessage(r),
    helpful: r.helpful_count,
    notHelpful: r.not_helpful_count,
    myVote: r.my_vote === null ? null : r.my_vote === 1,
  }));
}

export async function readMessage(db: D1Database, tenantId: string, id: string): Promise<Message | null> {
  const row = await db
    .prepare("SELECT * FROM messages WHERE tenant_id = ?1 AND id = ?2")
    .bind(tenantId, id)
    .first<MessageRow>();
  return row ? toMessage(row) : null;
}

/** Records or changes one voter's "was this helpful?" answer on a message. */
export function upsertVote(
  db: D1Database,
  messageId: string,
  voterId: string,
  helpful: boolean,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO message_votes (message_id, voter_id, helpful, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (message_id, voter_id) DO UPDATE SET helpful = ?3, updated_at = ?4`,
    )
    .bind(messageId, voterId, helpful ? 1 : 0, now);
}
