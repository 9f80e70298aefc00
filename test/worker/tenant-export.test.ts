import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EXPORTED, type ExportCursor, exportPage, LEFT_OUT } from "../../worker/db/tenant-export";
import type { CreateTicketResponse } from "../../worker/schemas/ticket";
import { auditRows } from "./console-helpers";
import { ADMIN, api, billingTicket, newTenant } from "./helpers";
import { fetchBytes, personWithData, text, unzip } from "./people-helpers";

const ndjson = (bytes: Uint8Array | undefined) =>
  text(bytes)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The tenant's rows of a table, as the export's query defines them (message_votes through their message). */
async function rowsOf(table: string, tenantId: string): Promise<number> {
  const where = EXPORTED[table]?.tenantOf ?? "tenant_id";
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where} = ?1`)
    .bind(tenantId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("a tenant's whole export", () => {
  it("holds every row of every table of the tenant and every R2 object byte for byte, and nothing of another tenant", async () => {
    const s = await personWithData();
    const put = await api("PUT", `/api/v1/admin/tenants/${s.t.id}`, {
      headers: ADMIN,
      body: {
        name: "Exported desk",
        parentId: null,
        config: {
          allowedOrigins: ["https://panel.example.com"],
          emergency: {
            priorities: ["high", "urgent"],
            ackWindowMinutes: 60,
            contacts: [],
            webhookSecret: "whsec-never-exported-0123456789abcdef",
          },
          email: { fromAddress: `support@${s.domain}`, newTicketsByEmail: true, departmentsByAddress: {} },
        },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const other = await newTenant();
    const otherToken = await other.token({ name: "Olga Other" });
    await api<CreateTicketResponse>("POST", `/api/v1/${other.id}/tickets`, {
      token: otherToken,
      body: { ...billingTicket, message: "other tenant's words" },
    });

    const res = await fetchBytes("GET", `/api/v1/${s.t.id}/export`, ADMIN);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const zip = unzip(res.bytes);

    const tenant = JSON.parse(text(zip["tenant.json"])) as {
      id: string;
      name: string;
      config: { emergency: Record<string, unknown> };
    };
    expect(tenant).toMatchObject({ id: s.t.id, name: "Exported desk" });
    expect(text(zip["tenant.json"])).not.toContain("whsec-never-exported");

    for (const table of Object.keys(EXPORTED)) {
      const rows = ndjson(zip[`tables/${table}.ndjson`]);
      expect(rows.length, table).toBe(await rowsOf(table, s.t.id));
    }
    expect(ndjson(zip["tables/tickets.ndjson"]).map((t) => t.requester_email)).toContain(s.person.email);
    for (const t of ndjson(zip["tables/tickets.ndjson"])) {
      expect(t).not.toHaveProperty("sensitive");
      expect(t).not.toHaveProperty("guest_key_hash");
    }
    expect(ndjson(zip["tables/message_votes.ndjson"])).toHaveLength(1);
    expect(ndjson(zip["tables/messages.ndjson"]).some((m) => String(m.body).includes(s.phrase))).toBe(true);

    // Every object of the tenant, under its key, byte for byte; none of the other tenant's.
    const objects = (await env.FILES.list({ prefix: `${s.t.id}/` })).objects;
    expect(objects.length).toBeGreaterThanOrEqual(7);
    const files = Object.keys(zip).filter((n) => n.startsWith("files/"));
    expect(files.sort()).toEqual(objects.map((o) => `files/${o.key}`).sort());
    for (const o of objects) {
      const object = await env.FILES.get(o.key);
      expect(zip[`files/${o.key}`], o.key).toEqual(new Uint8Array(await object!.arrayBuffer()));
    }
    for (const [name, bytes] of Object.entries(zip)) {
      expect(text(bytes), name).not.toContain("other tenant's words");
      expect(text(bytes), name).not.toContain(other.id);
    }
    expect((await auditRows(s.t.id, "action = 'tenant.export'")).map((r) => r.actor_id)).toEqual(["operator"]);
  });

  it("pages every table by its keyset without losing or repeating a row", async () => {
    const s = await personWithData();
    for (const table of Object.keys(EXPORTED)) {
      const seen: unknown[] = [];
      let after: ExportCursor | null = null;
      for (;;) {
        const page = await exportPage(env.DB, table, s.t.id, after, 2);
        seen.push(...page.rows);
        if (page.last === null || page.rows.length < 2) break;
        after = page.last;
      }
      expect(seen.length, table).toBe(await rowsOf(table, s.t.id));
      expect(new Set(seen.map((r) => JSON.stringify(r))).size, table).toBe(seen.length);
    }
  });

  it("exports or leaves out, with a reason, every table there is", async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
    ).all<{ name: string }>();
    expect(results.map((r) => r.name).sort()).toEqual([...Object.keys(EXPORTED), ...Object.keys(LEFT_OUT)].sort());
  });

  it("is for the tenant's admins and the provider: agents 403, customers 404", async () => {
    const s = await personWithData();
    const admin = await fetchBytes("GET", `/api/v1/${s.t.id}/export`, { authorization: `Bearer ${s.tokens.admin}` });
    expect(admin.status).toBe(200);
    expect(Object.keys(unzip(admin.bytes))).toContain("tables/tickets.ndjson");
    expect(
      (await fetchBytes("GET", `/api/v1/${s.t.id}/export`, { authorization: `Bearer ${s.tokens.agent}` })).status,
    ).toBe(403);
    expect(
      (await fetchBytes("GET", `/api/v1/${s.t.id}/export`, { authorization: `Bearer ${s.tokens.zoe}` })).status,
    ).toBe(404);
    // Another tenant's admin token does not verify here.
    const other = await newTenant();
    const otherAdmin = await other.token({ sub: "x", role: "admin", name: "X", email: "x@host.example", services: [] });
    expect(
      (await fetchBytes("GET", `/api/v1/${s.t.id}/export`, { authorization: `Bearer ${otherAdmin}` })).status,
    ).toBe(401);
  });
});
