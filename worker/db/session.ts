/**
 * A D1 session (worker/middleware/d1-session.ts) where code expects the database: statements and
 * batches go through the session, so every db/ function reads and writes in it without knowing.
 */
export function sessionDatabase(db: D1Database, session: D1DatabaseSession): D1Database {
  return {
    prepare: (query) => session.prepare(query),
    batch: (statements) => session.batch(statements),
    exec: (query) => db.exec(query),
    dump: () => db.dump(),
    withSession: (constraintOrBookmark) => db.withSession(constraintOrBookmark),
  };
}
