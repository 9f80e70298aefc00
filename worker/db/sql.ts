/**
 * Builds `INSERT` statements from a column→value record (names come from code, never input).
 * With `afterChange`, the row is only written when the statement just before it in the
 * same batch changed exactly one row: how a conditional `UPDATE … WHERE version = ?`
 * carries the inserts that belong to it, inside one atomic D1 batch. With `whenExists`, only
 * when that row (by id) exists by then: for rows that belong to one written earlier in the batch.
 */
export function insertInto(
  db: D1Database,
  table: string,
  row: Record<string, string | number | null>,
  options: { afterChange?: boolean; orIgnore?: boolean; whenExists?: { table: string; id: string } } = {},
): D1PreparedStatement {
  const columns = Object.keys(row);
  const values = Object.values(row);
  const params = columns.map((_, i) => `?${i + 1}`).join(", ");
  const verb = options.orIgnore ? "INSERT OR IGNORE" : "INSERT";
  let source = `VALUES (${params})`;
  if (options.afterChange) source = `SELECT ${params} WHERE changes() = 1`;
  if (options.whenExists) {
    source = `SELECT ${params} WHERE EXISTS (SELECT 1 FROM ${options.whenExists.table} WHERE id = ?${values.length + 1})`;
    values.push(options.whenExists.id);
  }
  return db.prepare(`${verb} INTO ${table} (${columns.join(", ")}) ${source}`).bind(...values);
}

/** The table a D1 UNIQUE/PRIMARY KEY failure was about, or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = /UNIQUE constraint failed: (\w+)\./.exec(message);
  return match?.[1] ?? null;
}

/**
 * Aborts the whole batch (rolling back everything in it) unless the statement just before it
 * changed at least one row, or `unless` holds (SQL from code, with `?1`… bound to `params`).
 * See the `batch_guard` table in schema.sql.
 */
export function assertChanged(db: D1Database, unless = "0", ...params: (string | number)[]): D1PreparedStatement {
  return db.prepare(`INSERT INTO batch_guard (ok) SELECT 0 WHERE changes() = 0 AND NOT (${unless})`).bind(...params);
}

/** Whether a D1 error is a batch_guard assertion failing (see assertChanged). */
export function guardFailed(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /CHECK constraint failed/.test(message) && /ok = 1|batch_guard/.test(message);
}
