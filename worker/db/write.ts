/**
 * One way to write: every change that takes more than one statement is one D1 `batch()` (a
 * transaction) built by `writeChange`, and it is written whole or not at all.
 *
 * A change is a list of steps. A step is either a plain statement (an insert, an update whose
 * effect stands on its own) or a `claim`: a conditional write the change stands on, such as
 * "the ticket is still at the version I read", "this upload is still free", "this notice is
 * still unsent and my lease still holds". Right after each claim the batch asserts that it
 * changed the rows it had to (one, unless said otherwise); when it did not, the assertion fails
 * the `batch_guard` CHECK and D1 rolls the whole batch back. The caller gets a typed outcome:
 *
 *   "written": every step ran; `results` holds one D1Result per step, in the caller's order.
 *   "lost":    a claim changed nothing, so nothing at all was written. Branch on it: read again
 *              and retry, answer 409, or skip (another run did the work).
 *
 *   const change = await writeChange(db, [
 *     claim(updateTicketIfUnchanged(db, next)),   // the ticket is still at the version read
 *     insertMessage(db, message),
 *     insertHistory(db, entry),
 *     attachUpload(db, { … }),                    // a claim too: the upload is still free
 *   ]);
 *   if (change.outcome === "lost") // read the ticket again and re-plan
 *
 * A step may also be a read (a SELECT, or a write's RETURNING): its rows come back in `results`
 * at its place, and since the batch is one transaction, a read after the writes sees them. That
 * is how a change answers "and what now?" without a round trip of its own (the mailer reads a
 * ticket's next due notice at the end of the change that sends one). A lost change reads nothing.
 *
 * A claim need not be a version check: one that always holds while its row exists (a reply
 * whose status effect is computed in SQL) is lost only when the row is gone.
 *
 * Rules, so that no statement's meaning depends on where it sits in the list:
 *   - Only the guard `writeChange` places after a claim looks at `changes()`; no statement
 *     may. A statement that should only run "if the one before it wrote" is a claim instead.
 *   - Order matters only for foreign keys (a row after the row it references): a wrong order
 *     fails loudly, never writes something else. One deliberate exception: a statement may read
 *     a row's state *before* a later step changes it (a reply's history entry reads the status
 *     its own update replaces: insertStatusChangeFromTicket before appendToTicket). The batch is
 *     one transaction, so that read is exact; the history-chain test fails on the wrong order.
 *   - A statement that would match a row another step of the same change writes says which
 *     rows it means (e.g. acknowledging a ticket's alerts `exceptId` the alert just raised).
 *   - `INSERT OR IGNORE` and `ON CONFLICT … DO NOTHING / DO UPDATE` remain the way to say "at
 *     most once per unique key" (a notice's dedupe key) or "insert or update" (a vote) in one
 *     statement; whether they wrote is never a condition for another statement.
 *   - Any other failure (a UNIQUE violation, a broken foreign key) rolls the whole change back
 *     too and is thrown as it is, for the caller to recognise (see `uniqueViolation`).
 *   - A change of one statement needs none of this: its `meta.changes` is its outcome.
 */

/** A conditional write the change stands on: unless it changes exactly `rows` rows, nothing is written. */
export class Claim {
  constructor(
    readonly statement: D1PreparedStatement,
    readonly rows: number,
  ) {}
}

/** A step of a change: a plain statement, or a claim. */
export type Step = D1PreparedStatement | Claim;

export type Written = { outcome: "written"; results: D1Result[] };
export type WriteOutcome = Written | { outcome: "lost" };

/** Marks `statement` as a claim: the change is written only if it changes exactly `rows` rows (1 by default). */
export function claim(statement: D1PreparedStatement, rows = 1): Claim {
  return new Claim(statement, rows);
}

/** Fails the batch_guard CHECK (and with it the whole batch) unless the statement just before it changed `rows` rows. */
function guard(db: D1Database, rows: number): D1PreparedStatement {
  return db.prepare("INSERT INTO batch_guard (ok) SELECT 0 WHERE changes() != ?1").bind(rows);
}

/** Whether a D1 error is a guard after a claim failing (see schema.sql's batch_guard). */
function claimLost(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return message.includes("CHECK constraint failed: ok = 1");
}

/** Writes a change in one batch, whole or not at all; "lost" when one of its claims changed nothing. */
export function writeChange(db: D1Database, steps: readonly D1PreparedStatement[]): Promise<Written>;
export function writeChange(db: D1Database, steps: readonly Step[]): Promise<WriteOutcome>;
export async function writeChange(db: D1Database, steps: readonly Step[]): Promise<WriteOutcome> {
  const batch: D1PreparedStatement[] = [];
  const positions: number[] = [];
  for (const step of steps) {
    positions.push(batch.length);
    if (step instanceof Claim) batch.push(step.statement, guard(db, step.rows));
    else batch.push(step);
  }
  if (batch.length === 0) return { outcome: "written", results: [] };
  try {
    const results = await db.batch(batch);
    return { outcome: "written", results: positions.map((i) => results[i]!) };
  } catch (error) {
    if (claimLost(error)) return { outcome: "lost" };
    throw error;
  }
}
