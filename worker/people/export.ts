/**
 * Exports as ZIP entries, produced as the archive is read (people/zip.ts): one person's tickets
 * (docs/privacy.md, "One person's export") or a tenant's whole data ("A tenant's export"). Each
 * reads D1 a page at a time and each R2 object only when its entry's turn comes, so memory holds
 * one page and one chunk, whatever the size of the tenant.
 */
import { personThreads, personTickets } from "../db/people";
import { EXPORTED, type ExportCursor, exportPage, LEFT_OUT } from "../db/tenant-export";
import type { Ticket } from "../db/tickets";
import type { Env } from "../env";
import type { Tenant } from "../schemas/tenant";
import { readAll, type ZipEntry } from "./zip";

/** Tickets per page of a person's export (each with its thread). */
const TICKET_PAGE = 25;
/** Rows per page of a table in a tenant's export; the outbox's raw mails are larger. */
const ROW_PAGE = 500;
const OUTBOX_PAGE = 100;

const iso = (ms: unknown) => (typeof ms === "number" ? new Date(ms).toISOString() : null);
const encoder = new TextEncoder();
const json = (name: string, value: unknown): ZipEntry => ({
  name,
  data: `${JSON.stringify(value, null, 2)}\n`,
  compress: true,
});
/** A name safe as one path segment inside the archive. */
const segment = (s: string) => s.replace(/[/\\]/g, "_").replace(/^\.+/, "_") || "_";

/** An R2 object as an entry, or nothing when it is gone (the export goes on). */
async function objectEntry(env: Env, key: string, name: string, compress: boolean): Promise<ZipEntry | null> {
  const object = await env.FILES.get(key);
  return object ? { name, data: readAll(object.body), compress } : null;
}

function ticketView(t: Ticket) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    department: t.department,
    service: t.serviceId === null ? null : { id: t.serviceId, label: t.serviceLabel },
    fields: t.fields,
    requester: { kind: t.requesterKind, name: t.requesterName, email: t.requesterEmail },
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    closedAt: iso(t.closedAt),
  };
}

/**
 * One person's data in the tenant: `person.json`, then per ticket `tickets/<number>.json` (the
 * ticket, its public messages with their files and mail originals named, its history, their
 * votes), each file at `files/<number>/<id>-<name>` byte for byte, each mail original at
 * `mail/<number>/<message id>.eml`.
 */
export async function* personExport(env: Env, tenant: Tenant, email: string, now: number): AsyncGenerator<ZipEntry> {
  yield json("person.json", {
    email,
    tenant: { id: tenant.id, name: tenant.name },
    exportedAt: iso(now),
    contents:
      "tickets/<number>.json: each ticket you filed, its messages (internal staff notes excepted), history and your votes; files/: your tickets' attachments; mail/: the mails you sent us, as received.",
  });
  let after = "";
  for (;;) {
    const tickets = await personTickets(env.DB, tenant.id, email, after, TICKET_PAGE);
    if (!tickets.length) return;
    const rows = await personThreads(
      env.DB,
      tenant.id,
      tickets.map((t) => t.id),
      [...new Set(tickets.map((t) => t.requesterId))],
    );
    for (const t of tickets) {
      const files = rows.attachments
        .filter((a) => a.ticket_id === t.id)
        .map((a) => ({ ...a, path: `files/${t.number}/${segment(`${a.id}-${a.name}`)}` }));
      const messages = rows.messages.filter((m) => m.ticket_id === t.id);
      const mails = messages.flatMap((m) =>
        m.raw_key !== null ? [{ key: m.raw_key, path: `mail/${t.number}/${segment(m.id)}.eml` }] : [],
      );
      yield json(`tickets/${t.number}.json`, {
        ticket: ticketView(t),
        messages: messages.map((m) => ({
          id: m.id,
          author: { kind: m.author_kind, name: m.author_name },
          body: m.body,
          source: m.source,
          createdAt: iso(m.created_at),
          attachments: files
            .filter((a) => a.message_id === m.id)
            .map((a) => ({
              id: a.id,
              name: a.name,
              contentType: a.content_type,
              size: a.size,
              sha256: a.sha256,
              file: a.path,
            })),
          mailOriginal: mails.find((x) => x.key === m.raw_key)?.path ?? null,
        })),
        history: rows.history
          .filter((h) => h.ticket_id === t.id)
          .map((h) => ({
            field: h.field,
            from: h.from_value,
            to: h.to_value,
            by: { kind: h.actor_kind, name: h.actor_name },
            reason: h.reason,
            at: iso(h.created_at),
          })),
        votes: rows.votes
          .filter((v) => v.ticket_id === t.id)
          .map((v) => ({ messageId: v.message_id, helpful: v.helpful === 1, at: iso(v.updated_at) })),
      });
      for (const a of files) {
        const entry = await objectEntry(env, a.r2_key, a.path, false);
        if (entry) yield entry;
      }
      for (const m of mails) {
        const entry = await objectEntry(env, m.key, m.path, true);
        if (entry) yield entry;
      }
    }
    after = tickets.at(-1)!.id;
  }
}

/** One table's rows as NDJSON, a page per chunk. */
async function* tableLines(db: D1Database, table: string, tenantId: string): AsyncGenerator<Uint8Array> {
  let after: ExportCursor | null = null;
  const limit = table === "outbox" ? OUTBOX_PAGE : ROW_PAGE;
  for (;;) {
    const page = await exportPage(db, table, tenantId, after, limit);
    if (page.rows.length) yield encoder.encode(`${page.rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
    if (page.last === null || page.rows.length < limit) return;
    after = page.last;
  }
}

/**
 * A tenant's whole data, for a provider or reseller leaving (nobody is locked in): `tenant.json`
 * (its settings, without the alert webhook's secret), `tables/<table>.ndjson` (rows as schema.sql
 * names their columns), and `files/<R2 key>` for every object it has in R2 (attachments, mail
 * originals).
 */
export async function* tenantExport(env: Env, tenant: Tenant, now: number): AsyncGenerator<ZipEntry> {
  const { webhookSecret: _secret, ...emergency } = tenant.config.emergency;
  yield json("tenant.json", {
    id: tenant.id,
    parentId: tenant.parentId,
    name: tenant.name,
    config: { ...tenant.config, emergency },
    createdAt: iso(tenant.createdAt),
    updatedAt: iso(tenant.updatedAt),
    exportedAt: iso(now),
    tables: Object.keys(EXPORTED).map((t) => `tables/${t}.ndjson`),
    leftOut: LEFT_OUT,
    files:
      "files/<key>: every R2 object of the tenant under its key (attachments: <ticket>/<id>; mail originals: <ticket>/mail/<id>.eml)",
  });
  for (const table of Object.keys(EXPORTED))
    yield { name: `tables/${table}.ndjson`, data: tableLines(env.DB, table, tenant.id), compress: true };
  let cursor: string | undefined;
  do {
    const list = await env.FILES.list({ prefix: `${tenant.id}/`, limit: 1000, ...(cursor && { cursor }) });
    for (const o of list.objects) {
      const entry = await objectEntry(env, o.key, `files/${o.key}`, o.key.endsWith(".eml"));
      if (entry) yield entry;
    }
    cursor = list.truncated ? list.cursor : undefined;
  } while (cursor);
}
