/**
 * Erasing one person (docs/privacy.md, "Erasure"): page by page of their tickets, the R2 objects
 * the page's rows point to are deleted first, then one change (db/write.ts) forgets those rows
 * and erases the text, names and email, the email last. A crash anywhere leaves the page findable
 * by the email with its rows still naming their objects, so running the erasure again finishes it:
 * nothing is orphaned, and erasing twice is the same as once. The audit entry names no one.
 */
import type { DataAdmin } from "../auth/data-admin";
import { insertAudit } from "../db/audit";
import { eraseStatements, erasureObjects, erasurePage } from "../db/people";
import { writeChange } from "../db/write";
import type { Env } from "../env";

/** Tickets per change: each page is one R2 delete and one D1 batch of ten statements. */
export const ERASE_PAGE = 20;
/** Pages per request; a person with more tickets is finished by asking again (the answer says so). */
export const ERASE_PAGES_PER_CALL = 25;
/** R2 deletes at most this many keys per call. */
const R2_DELETE_MAX = 1000;

export interface Erasure {
  /** Tickets erased by this call. */
  tickets: number;
  /** R2 objects deleted (attachments and mail originals). */
  files: number;
  /** False when tickets remain: call again. */
  done: boolean;
}

export async function erasePerson(
  env: Env,
  tenantId: string,
  email: string,
  by: DataAdmin,
  now: number,
  options: { pageSize?: number; pages?: number } = {},
): Promise<Erasure> {
  const result: Erasure = { tickets: 0, files: 0, done: false };
  const pageSize = options.pageSize ?? ERASE_PAGE;
  for (let i = 0; i < (options.pages ?? ERASE_PAGES_PER_CALL); i++) {
    const page = await erasurePage(env.DB, tenantId, email, pageSize);
    const keys = await erasureObjects(env.DB, page);
    for (let at = 0; at < keys.length; at += R2_DELETE_MAX) await env.FILES.delete(keys.slice(at, at + R2_DELETE_MAX));
    result.files += keys.length;
    if (page.own.length) await writeChange(env.DB, eraseStatements(env.DB, page, now));
    result.tickets += page.own.length;
    if (page.own.length < pageSize) {
      result.done = true;
      break;
    }
  }
  await insertAudit(env.DB, {
    tenantId,
    ticketId: null,
    actorId: by.id,
    actorName: by.name,
    action: "people.erase",
    detail: { tickets: result.tickets, files: result.files, done: result.done },
    createdAt: now,
  }).run();
  return result;
}
