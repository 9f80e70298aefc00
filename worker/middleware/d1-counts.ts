import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";

/**
 * D1 round trips and the rows they touched: each `first`/`all`/`run`/`raw`/`exec` is one round
 * trip, and so is each `batch()`, however many statements it carries. Rows come from D1's `meta`.
 */
export interface D1Counts {
  calls: number;
  rowsRead: number;
  rowsWritten: number;
  /**
   * Milliseconds spent waiting on D1, summed over the calls (parallel calls each count). The
   * runtime's clock moves only across I/O, so this is the wait for D1, not CPU.
   */
  ms: number;
  /** Of that, what D1 reports as its own time running the statements (`meta.duration`). */
  sqlMs: number;
}

export function noD1Counts(): D1Counts {
  return { calls: 0, rowsRead: 0, rowsWritten: 0, ms: 0, sqlMs: 0 };
}

/** `calls=3; rows-read=12; rows-written=0`: the `Edgedesk-D1` header's value. */
export function formatD1Counts(counts: D1Counts): string {
  return `calls=${counts.calls}; rows-read=${counts.rowsRead}; rows-written=${counts.rowsWritten}`;
}

function tally(counts: D1Counts, results: readonly D1Result<unknown>[], since: number): void {
  counts.calls++;
  counts.ms += Date.now() - since;
  for (const { meta } of results) {
    counts.rowsRead += meta.rows_read ?? 0;
    counts.rowsWritten += meta.rows_written ?? 0;
    counts.sqlMs += meta.duration ?? 0;
  }
}

/** The real statement behind a counted one, so `batch()` hands D1 its own objects. */
const realStatements = new WeakMap<D1PreparedStatement, D1PreparedStatement>();

function countedStatement(statement: D1PreparedStatement, counts: D1Counts): D1PreparedStatement {
  const counted = new Proxy(statement, {
    get(target, property) {
      switch (property) {
        case "bind":
          return (...values: unknown[]) => countedStatement(target.bind(...values), counts);
        case "run":
        case "all":
          return async () => {
            const since = Date.now();
            const result = await target[property]();
            tally(counts, [result], since);
            return result;
          };
        case "first":
          // D1's own first() reads every row and keeps one; all() does the same and keeps `meta`.
          return async (column?: string) => {
            const since = Date.now();
            const result = await target.all();
            tally(counts, [result], since);
            const row = result.results[0];
            if (row === undefined) return null;
            if (column === undefined) return row;
            if (!(column in row)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
            return row[column] ?? null;
          };
        case "raw":
          // raw() returns no meta: its round trip counts, its rows cannot (the worker does not use it).
          return (options?: { columnNames?: false }) => {
            counts.calls++;
            return target.raw(options);
          };
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
  realStatements.set(counted, statement);
  return counted;
}

function real(statements: readonly D1PreparedStatement[]): D1PreparedStatement[] {
  return statements.map((s) => realStatements.get(s) ?? s);
}

function countedSession(session: D1DatabaseSession, counts: D1Counts): D1DatabaseSession {
  return new Proxy(session, {
    get(target, property) {
      if (property === "prepare") return (query: string) => countedStatement(target.prepare(query), counts);
      if (property === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const since = Date.now();
          const results = await target.batch(real(statements));
          tally(counts, results, since);
          return results;
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * `db`, counting into `counts`. For tests and `npm run bench` only: production never wraps its
 * database (the middleware below does so only when DEBUG_D1_COUNTS is "true").
 */
export function countingD1(db: D1Database, counts: D1Counts): D1Database {
  return new Proxy(db, {
    get(target, property) {
      switch (property) {
        case "prepare":
          return (query: string) => countedStatement(target.prepare(query), counts);
        case "batch":
          return async (statements: D1PreparedStatement[]) => {
            const since = Date.now();
            const results = await target.batch(real(statements));
            tally(counts, results, since);
            return results;
          };
        case "exec":
          return (query: string) => {
            counts.calls++;
            return target.exec(query);
          };
        case "withSession":
          return (constraintOrBookmark?: string) => countedSession(target.withSession(constraintOrBookmark), counts);
        default: {
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
}

/**
 * With DEBUG_D1_COUNTS = "true" (the bench sets it; production never does), answers every request
 * with `Edgedesk-D1: calls=…; rows-read=…; rows-written=…`: its round trips before the response,
 * and `Server-Timing: d1;dur=…, d1-sql;dur=…, worker;dur=…`: the wait for D1, the part of it D1
 * reports as running the statements (`meta.duration`), and the request's time in the Worker. The
 * runtime's clock moves only across I/O, so CPU shows in none of them; a client's latency minus
 * `worker` is what lies outside the Worker (locally: wrangler's proxy, and the wait for a turn).
 * Work the request leaves to `waitUntil` is not in either header.
 */
export function d1CountsHeader(): MiddlewareHandler<AppEnv> {
  return async function d1CountsHeader(c, next) {
    if (c.env.DEBUG_D1_COUNTS !== "true") return next();
    const started = Date.now();
    const counts = noD1Counts();
    c.env = { ...c.env, DB: countingD1(c.env.DB, counts) };
    await next();
    c.res.headers.set("Edgedesk-D1", formatD1Counts(counts));
    c.res.headers.set(
      "Server-Timing",
      `d1;dur=${counts.ms}, d1-sql;dur=${counts.sqlMs.toFixed(2)}, worker;dur=${Date.now() - started}`,
    );
  };
}
