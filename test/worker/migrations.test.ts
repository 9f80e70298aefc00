import { applyD1Migrations, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import schemaSql from "../../schema.sql?raw";
import { renderSchema, SCHEMA_QUERY, type SchemaObject } from "../../scripts/lib/schema-file";
import worker from "../../worker/index";
import { tokenFor } from "./helpers";

/**
 * migrations/ (handed over by vitest.config.ts as TEST_MIGRATIONS, in the order wrangler applies
 * them) against two databases no setup file touches: FRESH_DB and UPGRADE_DB start empty.
 */
const migrations = env.TEST_MIGRATIONS;

async function schemaOf(db: D1Database): Promise<string> {
  const { results } = await db.prepare(SCHEMA_QUERY).all<SchemaObject>();
  return renderSchema(results);
}

async function appliedNames(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  return results.map((r) => r.name);
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 4, 4, 9, 0);
const SECRET = "upgrade-test-embed-secret-0123456789abcdef";

/**
 * A tenant's data as the oldest migration's tables hold it: one row in every table, linked as the
 * Worker writes them (a ticket answered by an agent, with a file, a vote, a notice, an alert).
 * Written once, against the oldest migration's columns; never updated for later migrations.
 */
const OLDEST_ROWS: { table: string; row: Record<string, string | number | null> }[] = [
  {
    table: "tenants",
    row: {
      id: "acme",
      parent_id: null,
      name: "Acme Hosting",
      config: JSON.stringify({
        allowedOrigins: ["https://panel.acme.example"],
        email: { fromAddress: "support@acme.example" },
      }),
      created_at: T0,
      updated_at: T0,
    },
  },
  { table: "tenant_secrets", row: { tenant_id: "acme", kid: "k1", secret: SECRET, created_at: T0, revoked_at: null } },
  {
    table: "tickets",
    row: {
      id: "tk-1",
      tenant_id: "acme",
      number: 48213907,
      subject: "500 Error on example.com",
      status: "answered",
      priority: "high",
      department: "technical",
      service_id: "svc-1",
      service_label: "Shared hosting: example.com",
      fields: JSON.stringify({ host: "example.com" }),
      requester_kind: "user",
      requester_id: "alice",
      requester_email: "alice@example.com",
      requester_name: "Alice Customer",
      guest_key_hash: null,
      assignee: "Bob",
      sensitive: null,
      created_at: T0,
      updated_at: T0 + HOUR,
      last_activity_at: T0 + HOUR,
      answered_at: T0 + HOUR,
      closed_at: null,
      version: 3,
    },
  },
  {
    table: "messages",
    row: {
      id: "m-1",
      tenant_id: "acme",
      ticket_id: "tk-1",
      author_kind: "customer",
      author_id: "alice",
      author_name: "Alice Customer",
      body: "Every page answers 500 since this morning.",
      internal: 0,
      source: "web",
      created_at: T0,
      raw_key: null,
      warning: null,
    },
  },
  {
    table: "messages",
    row: {
      id: "m-2",
      tenant_id: "acme",
      ticket_id: "tk-1",
      author_kind: "agent",
      author_id: "bob",
      author_name: "Bob",
      body: "Restored last night's .htaccess; please check.",
      internal: 0,
      source: "web",
      created_at: T0 + HOUR,
      raw_key: null,
      warning: null,
    },
  },
  { table: "message_votes", row: { message_id: "m-2", voter_id: "user:alice", helpful: 1, updated_at: T0 + 2 * HOUR } },
  {
    table: "ticket_history",
    row: {
      id: "h-1",
      tenant_id: "acme",
      ticket_id: "tk-1",
      field: "status",
      from_value: "open",
      to_value: "answered",
      actor_kind: "agent",
      actor_id: "bob",
      actor_name: "Bob",
      reason: "Replied",
      created_at: T0 + HOUR,
    },
  },
  {
    table: "idempotency_keys",
    row: {
      tenant_id: "acme",
      principal: "user:alice",
      key: "draft-1",
      request_hash: "ab12",
      ticket_id: "tk-1",
      sealed_access_key: null,
      created_at: T0,
    },
  },
  {
    table: "notifications",
    row: {
      id: "n-1",
      tenant_id: "acme",
      ticket_id: "tk-1",
      kind: "agent_replied",
      recipient: "alice@example.com",
      dedupe_key: "agent_replied:m-2",
      payload: JSON.stringify({ number: 48213907 }),
      created_at: T0 + HOUR,
      sent_at: T0 + HOUR,
      attempts: 1,
      next_attempt_at: T0 + HOUR,
      lease_until: null,
      last_error: null,
      outcome: "sent",
      message_id: "<n-1@acme.example>",
      sent_text: "Bob replied.",
    },
  },
  {
    table: "alerts",
    row: {
      id: "a-1",
      tenant_id: "acme",
      ticket_id: "tk-1",
      trigger: "created",
      trigger_key: "created:tk-1",
      priority: "high",
      state: "acknowledged",
      contact_index: 0,
      attempts: 1,
      next_attempt_at: T0,
      lease_until: null,
      delivered_at: T0,
      escalate_at: null,
      acknowledged_at: T0 + 600_000,
      acknowledged_by: "Bob",
      last_error: null,
      created_at: T0,
    },
  },
  {
    table: "alert_attempts",
    row: {
      id: "aa-1",
      alert_id: "a-1",
      tenant_id: "acme",
      contact_index: 0,
      channel: "webhook",
      target: "https://pager.acme.example/hook",
      ok: 1,
      status_code: 200,
      error: null,
      created_at: T0,
    },
  },
  {
    table: "attachments",
    row: {
      id: "f-1",
      tenant_id: "acme",
      uploader: "user:alice",
      for_ticket_id: null,
      r2_key: "acme/new/f-1",
      name: "error.log",
      content_type: "text/plain",
      size: 42,
      sha256: "cd34",
      state: "ready",
      ticket_id: "tk-1",
      message_id: "m-1",
      created_at: T0,
      attached_at: T0,
    },
  },
  {
    table: "outbox",
    row: {
      id: "o-1",
      tenant_id: "acme",
      notification_id: "n-1",
      message_id: "<n-1@acme.example>",
      mail_from: "support@acme.example",
      mail_to: "alice@example.com",
      subject: "Re: 500 Error on example.com",
      raw: "Subject: Re: 500 Error on example.com\r\n\r\nBob replied.",
      created_at: T0 + HOUR,
    },
  },
  {
    table: "inbound_mail",
    row: {
      tenant_id: "acme",
      message_id: "<reply-1@mail.example>",
      rcpt: "support@acme.example",
      ticket_id: "tk-1",
      outcome: "added",
      raw_key: null,
      created_at: T0 + 2 * HOUR,
    },
  },
];

function insert(db: D1Database, table: string, row: Record<string, string | number | null>): D1PreparedStatement {
  const columns = Object.keys(row);
  return db
    .prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `?${i + 1}`).join(", ")})`)
    .bind(...Object.values(row));
}

/** How many rows of `table` hold exactly these values. */
async function matching(db: D1Database, table: string, row: Record<string, string | number | null>): Promise<number> {
  const where = Object.keys(row)
    .map((column, i) => `${column} IS ?${i + 1}`)
    .join(" AND ");
  const found = await db
    .prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...Object.values(row))
    .first<{ n: number }>();
  return found?.n ?? 0;
}

describe("migrations", () => {
  it("are numbered 0001, 0002, … with no gap and no number used twice", () => {
    expect(migrations.length).toBeGreaterThan(0);
    for (const [i, m] of migrations.entries()) {
      expect(m.name).toMatch(new RegExp(`^${String(i + 1).padStart(4, "0")}_[a-z0-9_]+\\.sql$`));
    }
  });

  it("applied in order to an empty database give exactly the schema in schema.sql (else run `npm run schema`)", async () => {
    const db = env.FRESH_DB;
    expect(await schemaOf(db)).toBe(renderSchema([]));

    await applyD1Migrations(db, migrations);
    expect(await schemaOf(db), "schema.sql is stale or was edited by hand: run `npm run schema`").toBe(schemaSql);
    expect(await appliedNames(db)).toEqual(migrations.map((m) => m.name));

    // Applying again finds nothing to do, as `wrangler d1 migrations apply` on every start.
    await applyD1Migrations(db, migrations);
    expect(await appliedNames(db)).toEqual(migrations.map((m) => m.name));
    expect(await schemaOf(db)).toBe(schemaSql);
  });

  it("upgrade a database from the oldest migration keeping every row, which the current Worker then serves", async () => {
    const db = env.UPGRADE_DB;
    const [oldest] = migrations;
    await applyD1Migrations(db, [oldest!]);
    await db.batch(OLDEST_ROWS.map(({ table, row }) => insert(db, table, row)));

    await applyD1Migrations(db, migrations);
    expect(await appliedNames(db)).toEqual(migrations.map((m) => m.name));
    for (const { table, row } of OLDEST_ROWS)
      expect(await matching(db, table, row), `${table} row ${JSON.stringify(row)}`).toBe(1);
    expect(await schemaOf(db)).toBe(schemaSql);

    // The Worker of this version, on the upgraded database: Alice sees her ticket, with Bob's answer and her file.
    const token = await tokenFor("acme", SECRET, { sub: "alice", email: "alice@example.com", name: "Alice Customer" });
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("https://desk.example.com/api/v1/acme/tickets/tk-1", {
        headers: { authorization: `Bearer ${token}` },
      }),
      { ...env, DB: db },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const { ticket } = await res.json<{
      ticket: { number: number; status: string; messages: { body: string; attachments: { name: string }[] }[] };
    }>();
    expect(ticket.number).toBe(48213907);
    expect(ticket.status).toBe("answered");
    expect(ticket.messages.map((m) => m.body)).toEqual([
      "Every page answers 500 since this morning.",
      "Restored last night's .htaccess; please check.",
    ]);
    expect(ticket.messages[0]?.attachments.map((a) => a.name)).toEqual(["error.log"]);
  });
});
