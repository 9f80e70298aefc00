/**
 * The console's queue (docs/console.md, "Queue"): the saved views, search, sort and keyset
 * paging of a tenant's tickets for its staff, and each view's count. A page is one statement,
 * the counts one statement; each view's condition is written once (`viewPlan`) and used by
 * both, so a count always agrees with its view. Indexes: migration 0005, "Queue".
 *
 * What D1 bills is rows read: a first page reads about a page of rows whatever the tenant's size
 * (each view has an index in its order), and each count stops at `COUNT_CAP`
 * (test/worker/queue-scale.test.ts).
 */
import { QUEUE_VIEWS, type QueueView } from "../../shared/queue-views";
import type { Priority } from "../schemas/ticket";
import { type Ticket, type TicketRow, toTicket } from "./tickets";

export type { QueueView };

/** What the views need to know besides the ticket: who asks, the tenant's rules, and the time. */
export interface QueueContext {
  tenantId: string;
  /** The caller's agent id (`mine`). */
  agentId: string;
  emergencyPriorities: readonly Priority[];
  /** Answered tickets whose auto-close falls at or before this instant are `closing_soon`. */
  closingBefore: number;
}

export type QueueSort = "waiting" | "activity";

/**
 * The order a page is in: the sort asked for, except `closing_soon`, which is always listed
 * closing first (`answered_at`, then id: what its index holds, and what an agent wants).
 */
export type QueueOrder = QueueSort | "closing";

export function queueOrder(view: QueueView, sort: QueueSort): QueueOrder {
  return view === "closing_soon" ? "closing" : sort;
}

/** Where a page ended: the order's key and the ticket id (the tie-break). */
export interface QueueCursor {
  sort: QueueOrder;
  key: number;
  id: string;
}

export interface QueueFilter {
  view: QueueView;
  /** A ticket number, or words each of which the subject, requester name or email contains. */
  query?: string;
  /** One requester's tickets (a customer's other tickets). */
  requesterId?: string;
  sort: QueueSort;
}

export interface QueueTicket extends Ticket {
  /** The assignee's name in the staff directory, when they are in it. */
  assigneeName: string | null;
}

/** Binds values as numbered parameters, in order. */
class Params {
  readonly values: (string | number)[] = [];
  bind(value: string | number): string {
    this.values.push(value);
    return `?${this.values.length}`;
  }
}

/** Not waiting on staff sorts after every waiting ticket, newest activity first (a key above any time). */
const WAITING_KEY = "coalesce(t.waiting_since, 9007199254740991 - t.last_activity_at)";
/** The alert states that put a ticket in the `alerts` view (the partial index's condition, word for word). */
const OPEN_ALERT_STATES = "state IN ('pending', 'delivered', 'acknowledged')";

/**
 * How a view reads `tickets t`: its condition (the tenant condition is the caller's), where it
 * comes from (`alerts` starts from the open alerts), and the index that holds exactly its tickets
 * (forced: D1 keeps no statistics, and a sparse view read along the activity index would scan
 * the whole tenant to fill a page). Partial indexes' conditions are repeated word for word.
 */
interface ViewPlan {
  /** `tickets t`, with the index that holds the view's tickets in activity order (sort=waiting sorts what it reads). */
  from: string;
  where: string;
  /**
   * The same tickets as `where`, split into parts each of which the index holds in activity
   * order (`emergencies`: one priority each): a page reads a page from each part and merges them,
   * instead of reading every ticket of the view to sort them.
   */
  parts?: string[];
}

function viewPlan(view: QueueView, ctx: QueueContext, p: Params): ViewPlan {
  const plan = (where: string, index: string | null = null, parts?: string[]): ViewPlan => ({
    from: index ? `tickets t INDEXED BY ${index}` : "tickets t",
    where,
    ...(parts && { parts }),
  });
  switch (view) {
    case "mine":
      return plan(`t.assignee = ${p.bind(ctx.agentId)} AND t.status != 'closed'`, "tickets_assignee_activity");
    case "unassigned":
      return plan("t.assignee IS NULL AND t.status != 'closed'", "tickets_unassigned_activity");
    case "open":
      return plan("t.status IN ('open', 'in_progress')", "tickets_open_activity");
    case "waiting":
      return plan("t.status = 'answered'");
    case "on_hold":
      return plan("t.status = 'on_hold'");
    case "emergencies": {
      if (!ctx.emergencyPriorities.length) return plan("0");
      const priorities = ctx.emergencyPriorities.map((x) => p.bind(x));
      return plan(
        `t.priority IN (${priorities.join(", ")}) AND t.status != 'closed'`,
        "tickets_priority_activity",
        priorities.map((x) => `t.priority = ${x} AND t.status != 'closed'`),
      );
    }
    case "alerts":
      return {
        from: `(SELECT DISTINCT ticket_id FROM alerts WHERE tenant_id = ${p.bind(ctx.tenantId)} AND ${OPEN_ALERT_STATES}) o
          CROSS JOIN tickets t ON t.id = o.ticket_id`,
        where: "t.status != 'closed'",
      };
    case "closing_soon":
      return plan(`t.status = 'answered' AND t.answered_at <= ${p.bind(ctx.closingBefore)}`, "tickets_answered_due");
    case "all":
      return plan("1");
  }
}

const MAX_WORDS = 8;

function searchCondition(query: string, p: Params): string | null {
  const words = query.split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  if (!words.length) return null;
  const contains = (word: string) => {
    const like = p.bind(`%${word.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
    return `(t.subject LIKE ${like} ESCAPE '\\' OR t.requester_name LIKE ${like} ESCAPE '\\' OR t.requester_email LIKE ${like} ESCAPE '\\')`;
  };
  const all = words.map(contains).join(" AND ");
  const number = /^#?(\d{1,12})$/.exec(query.trim());
  return number ? `(t.number = ${p.bind(Number(number[1]))} OR ${all})` : all;
}

function orderOf(sort: QueueOrder, after: QueueCursor | null, p: Params): { where: string | null; orderBy: string } {
  if (sort === "closing") {
    const where = after
      ? `(t.answered_at > ${p.bind(after.key)} OR (t.answered_at = ?${p.values.length} AND t.id > ${p.bind(after.id)}))`
      : null;
    return { where, orderBy: "t.answered_at, t.id" };
  }
  if (sort === "waiting") {
    const where = after
      ? `(${WAITING_KEY} > ${p.bind(after.key)} OR (${WAITING_KEY} = ?${p.values.length} AND t.id > ${p.bind(after.id)}))`
      : null;
    return { where, orderBy: `${WAITING_KEY}, t.id` };
  }
  const where = after
    ? `(t.last_activity_at < ${p.bind(after.key)} OR (t.last_activity_at = ?${p.values.length} AND t.id < ${p.bind(after.id)}))`
    : null;
  return { where, orderBy: "t.last_activity_at DESC, t.id DESC" };
}

function sortKey(sort: QueueOrder, t: Ticket): number {
  if (sort === "closing") return t.answeredAt ?? 0;
  if (sort === "activity") return t.lastActivityAt;
  return t.waitingSince ?? Number.MAX_SAFE_INTEGER - t.lastActivityAt;
}

/** One page of a view, in one statement; reads `limit + 1` to know whether more follow. */
export async function listQueue(
  db: D1Database,
  ctx: QueueContext,
  filter: QueueFilter,
  after: QueueCursor | null,
  limit: number,
): Promise<{ tickets: QueueTicket[]; next: QueueCursor | null }> {
  const p = new Params();
  const tenant = p.bind(ctx.tenantId);
  const plan = viewPlan(filter.view, ctx, p);
  const order = queueOrder(filter.view, filter.sort);
  let from = plan.from;
  // The open view's index is in activity order; sorted by waiting, the waiting order's index reads it densely.
  if (filter.view === "open" && order === "waiting") from = "tickets t";
  const where: string[] = [`t.tenant_id = ${tenant}`];
  const search = filter.query ? searchCondition(filter.query, p) : null;
  if (search) where.push(search);
  if (filter.requesterId !== undefined) {
    // A customer's tickets are few: read them from their own index, whatever the view.
    if (filter.view !== "alerts") from = "tickets t INDEXED BY tickets_requester_activity";
    where.push(`t.requester_kind IN ('user', 'guest') AND t.requester_id = ${p.bind(filter.requesterId)}`);
  }
  const sorted = orderOf(order, after, p);
  if (sorted.where) where.push(sorted.where);
  const take = p.bind(limit + 1);
  const common = where.join(" AND ");
  // A view in parts, read from an index in activity order: each part's first rows, merged.
  const parts = order === "activity" && filter.requesterId === undefined && plan.parts;
  const source =
    parts && parts.length > 1
      ? `(${parts
          .map(
            (part) =>
              `SELECT * FROM (SELECT t.* FROM ${from} WHERE ${common} AND ${part} ORDER BY ${sorted.orderBy} LIMIT ${take})`,
          )
          .join(" UNION ALL ")}) t`
      : null;
  const sql = source
    ? `SELECT t.*, a.name AS assignee_name FROM ${source}
      LEFT JOIN agents a ON a.tenant_id = t.tenant_id AND a.id = t.assignee
      ORDER BY ${sorted.orderBy} LIMIT ${take}`
    : `SELECT t.*, a.name AS assignee_name FROM ${from}
      LEFT JOIN agents a ON a.tenant_id = t.tenant_id AND a.id = t.assignee
      WHERE ${common} AND ${plan.where} ORDER BY ${sorted.orderBy} LIMIT ${take}`;
  const { results } = await db
    .prepare(sql)
    .bind(...p.values)
    .all<TicketRow & { assignee_name: string | null }>();
  const tickets = results.slice(0, limit).map((r) => ({ ...toTicket(r), assigneeName: r.assignee_name }));
  const last = tickets.at(-1);
  const next = results.length > limit && last ? { sort: order, key: sortKey(order, last), id: last.id } : null;
  return { tickets, next };
}

/**
 * Where the counts stop: a view holding more says `COUNT_CAP` ("at least this many"). An exact
 * count reads every ticket of the view (256,885 rows for the nine views of a 100k-ticket
 * tenant); capped, the nine read at most about nine times this.
 */
export const COUNT_CAP = 1000;

/**
 * Every view's count in one statement: one count per view over its own index, with the views'
 * own conditions, each stopping at `COUNT_CAP`.
 */
export async function countQueue(db: D1Database, ctx: QueueContext): Promise<Record<QueueView, number>> {
  const p = new Params();
  const tenant = p.bind(ctx.tenantId);
  const cap = p.bind(COUNT_CAP);
  const columns = QUEUE_VIEWS.map((view) => {
    const { from, where } = viewPlan(view, ctx, p);
    return `(SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE t.tenant_id = ${tenant} AND ${where} LIMIT ${cap})) AS "${view}"`;
  });
  const row = await db
    .prepare(`SELECT ${columns.join(", ")}`)
    .bind(...p.values)
    .first<Record<QueueView, number>>();
  return Object.fromEntries(QUEUE_VIEWS.map((view) => [view, row?.[view] ?? 0])) as Record<QueueView, number>;
}
