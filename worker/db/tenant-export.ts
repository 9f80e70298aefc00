/**
 * A tenant's whole data, table by table, for its export (docs/privacy.md, "A tenant's export"):
 * rows as the tables hold them (snake_case, schema.sql), paged by rowid so each page is one seek.
 * Every table is either exported here or left out in LEFT_OUT with the reason; a test fails when a
 * table is in neither, so a new table is a decision, not an omission.
 */

/**
 * Exported tables: the columns each keeps back (credentials; nothing of the customer's), and the
 * keyset it pages by, chosen to walk an index that starts with tenant_id (a page is one seek and
 * never a sort of the tenant's rows: ordering 100k tickets by rowid through the tenant_id index
 * sorted them all for every page). Tables without such an index page by rowid, reading past
 * other tenants' rows once over the whole export.
 */
interface Exported {
  omit: string[];
  keyset: string[];
  /** The keyset descends (the index does). */
  desc?: boolean;
  /** How a row names its tenant, when it has no tenant_id. */
  tenantOf?: string;
}

const ROWID = ["rowid"];

export const EXPORTED: Record<string, Exported> = {
  agents: { omit: [], keyset: ["id"] },
  tickets: { omit: ["sensitive", "guest_key_hash"], keyset: ["number"] },
  messages: { omit: [], keyset: ROWID },
  message_votes: {
    omit: [],
    keyset: ROWID,
    tenantOf: "(SELECT tenant_id FROM messages m WHERE m.id = message_votes.message_id)",
  },
  ticket_history: { omit: [], keyset: ROWID },
  attachments: { omit: [], keyset: ROWID },
  notifications: { omit: [], keyset: ["dedupe_key"] },
  outbox: { omit: [], keyset: ["created_at", "rowid"] },
  inbound_mail: { omit: [], keyset: ["message_id", "rcpt"] },
  alerts: { omit: [], keyset: ["trigger_key"] },
  alert_attempts: { omit: [], keyset: ROWID },
  audit_log: { omit: [], keyset: ["created_at", "id"], desc: true },
  canned_replies: { omit: [], keyset: ["title"] },
  webhook_endpoints: { omit: ["secret", "previous_secret", "previous_secret_until"], keyset: ["id"] },
};

/** Tables not exported as NDJSON, and why. */
export const LEFT_OUT: Record<string, string> = {
  tenants: "exported as tenant.json, without the alert webhook's secret",
  tenant_secrets: "embed secrets are credentials: a new host makes its own",
  idempotency_keys: "retry records that expire within a day; they hold sealed guest keys",
  batch_guard: "never holds a row (db/write.ts)",
  webhook_deliveries: "a delivery log of events whose tickets and messages are exported themselves",
  status_webhook_ids: "replay protection for the status page's webhook, forgotten after minutes",
};

/** Where a page ended: the keyset's values of its last row. */
export type ExportCursor = (string | number)[];

/** Up to `limit` rows of `table` for the tenant after `after`, without the omitted columns. */
export async function exportPage(
  db: D1Database,
  table: string,
  tenantId: string,
  after: ExportCursor | null,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; last: ExportCursor | null }> {
  const spec = EXPORTED[table];
  if (!spec) throw new Error(`${table} is not an exported table`);
  const keys = spec.keyset.join(", ");
  const keyed = spec.keyset.map((c, i) => `${c} AS _k${i}`).join(", ");
  const past = after
    ? `AND (${keys}) ${spec.desc ? "<" : ">"} (${spec.keyset.map((_, i) => `?${i + 3}`).join(", ")})`
    : "";
  const order = spec.keyset.map((c) => (spec.desc ? `${c} DESC` : c)).join(", ");
  const { results } = await db
    .prepare(
      `SELECT ${keyed}, * FROM ${table} WHERE ${spec.tenantOf ?? "tenant_id"} = ?1 ${past} ORDER BY ${order} LIMIT ?2`,
    )
    .bind(tenantId, limit, ...(after ?? []))
    .all<Record<string, unknown>>();
  let last: ExportCursor | null = null;
  const rows = results.map((row) => {
    const rest: Record<string, unknown> = {};
    const cursor: ExportCursor = [];
    for (const [column, value] of Object.entries(row)) {
      if (/^_k\d+$/.test(column)) cursor.push(value as string | number);
      else if (!spec.omit.includes(column)) rest[column] = value;
    }
    last = cursor;
    return rest;
  });
  return { rows, last };
}
