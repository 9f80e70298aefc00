/**
 * Builds an `INSERT` statement from a column→value record (names come from code, never input).
 * `orIgnore` is for a unique-key dedupe (see write.ts for how statements combine into a change).
 */
export function insertInto(
  db: D1Database,
  table: string,
  row: Record<string, string | number | null>,
  options: { orIgnore?: boolean } = {},
): D1PreparedStatement {
  const columns = Object.keys(row);
  const params = columns.map((_, i) => `?${i + 1}`).join(", ");
  const verb = options.orIgnore ? "INSERT OR IGNORE" : "INSERT";
  return db.prepare(`${verb} INTO ${table} (${columns.join(", ")}) VALUES (${params})`).bind(...Object.values(row));
}

/** The table a D1 UNIQUE/PRIMARY KEY failure was about, or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  const message = error instanceof Error ? error.message : String(error);
  const match = /UNIQUE constraint failed: (\w+)\./.exec(message);
  return match?.[1] ?? null;
}
