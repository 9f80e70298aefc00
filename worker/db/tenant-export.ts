/**
 * A tenant's whole data, table by table, for its export (docs/privacy.md, "A tenant's export"):
 * rows as the tables hold them (snake_case, schema.sql), paged by rowid so each page is one seek.
 * Every table is either exported here or left out in LEFT_OUT with the reason; a test fails when a
 * table is in neither, so a new table is a decision, not an omission.
 */

/** Exported tables, each with the columns it keeps back (credentials; nothing of the customer's). */
export const EXPORTED: Record<string, { omit: string[]; tenantOf?: string }> = {
  agents: { omit: [] },
  tickets: { omit: ["sensitive", "guest_key_hash"] },
  messages: { omit: [] },
  message_votes: { omit: [], tenantOf: "(SELECT tenant_id FROM messages m WHERE m.id = message_votes.message_id)" },
  ticket_history: { omit: [] },
  attachments: { omit: [] },
  notifications: { omit: [] },
  outbox: { omit: [] },
  inbound_mail: { omit: [] },
  alerts: { omit: [] },
  alert_attempts: { omit: [] },
  audit_log: { omit: [] },
  canned_replies: { omit: [] },
};

/** Tables not exported as NDJSON, and why. */
export const LEFT_OUT: Record<string, string> = {
  tenants: "exported as tenant.json, without the alert webhook's secret",
  tenant_secrets: "embed secrets are credentials: a new host makes its own",
  idempotency_keys: "retry records that expire within a day; they hold sealed guest keys",
  batch_guard: "never holds a row (db/write.ts)",
};

/** Up to `limit` rows of `table` for the tenant after `afterRowid`, without the omitted columns. */
export async function exportPage(
  db: D1Database,
  table: string,
  tenantId: string,
  afterRowid: number,
  limit: number,
): Promise<{ rows: Record<string, unknown>[]; last: number | null }> {
  const spec = EXPORTED[table];
  if (!spec) throw new Error(`${table} is not an exported table`);
  const { results } = await db
    .prepare(
      `SELECT rowid AS _rowid, * FROM ${table} WHERE ${spec.tenantOf ?? "tenant_id"} = ?1 AND rowid > ?2
       ORDER BY rowid LIMIT ?3`,
    )
    .bind(tenantId, afterRowid, limit)
    .all<Record<string, unknown>>();
  const last = results.at(-1)?._rowid;
  const rows = results.map((row) => {
    const { _rowid, ...rest } = row;
    for (const column of spec.omit) delete rest[column];
    return rest;
  });
  return { rows, last: typeof last === "number" ? last : null };
}
