import { describe, expect, it } from "vitest";
import { fillPlaceholders, unknownPlaceholders } from "../../shared/placeholders";
import type { Problem } from "../../worker/errors";
import type { CannedReplyListResponse, CannedReplyResponse } from "../../worker/schemas/console";
import { auditRows, staff } from "./console-helpers";
import { api, count, newTenant } from "./helpers";

describe("canned replies (docs/console.md)", async () => {
  const t = await newTenant();
  const other = await newTenant();
  const customer = await t.token();
  const bob = await t.token(staff("bob", "Bob Agent"));
  const admin = await t.token(staff("ada", "Ada Admin", "admin"));
  const otherAdmin = await other.token(staff("oz", "Oz Admin", "admin"));
  const base = `/api/v1/${t.id}/canned-replies`;
  const rows = () => count("canned_replies", "tenant_id = ?1", t.id);

  const create = (token: string, body: unknown, tenant = t.id) =>
    api<CannedReplyResponse & Problem>("POST", `/api/v1/${tenant}/canned-replies`, { token, body });

  it("lets an admin add one, staff list it, and records it in the audit log", async () => {
    const res = await create(admin, {
      title: "Plugin rolled back",
      body: "Hello {{customer.name}}, we rolled back the plugin on ticket #{{ticket.number}}. — {{agent.name}}, {{tenant.name}}",
    });
    expect(res.status).toBe(201);
    expect(res.body.cannedReply).toMatchObject({ title: "Plugin rolled back" });
    const list = await api<CannedReplyListResponse>("GET", base, { token: bob });
    expect(list.status).toBe(200);
    expect(list.body.cannedReplies.map((c) => c.title)).toContain("Plugin rolled back");
    const audit = await auditRows(t.id, "action = 'canned.create'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.detail ?? "{}")).toEqual({
      cannedReplyId: res.body.cannedReply.id,
      title: "Plugin rolled back",
    });
  });

  it("refuses an unknown placeholder with 400 naming it at body, nothing stored", async () => {
    const before = await rows();
    const res = await create(admin, { title: "Bad", body: "Dear {{customer.name}}, your {{ticket.subject}} is done." });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_failed");
    expect(res.body.errors).toEqual([{ path: "body", message: expect.stringContaining("{{ticket.subject}}") }]);
    expect(await rows()).toBe(before);
  });

  it.each([
    ["an empty title", { title: "", body: "x" }, "title"],
    ["a title over 120 characters", { title: "t".repeat(121), body: "x" }, "title"],
    ["an empty body", { title: "Empty", body: "" }, "body"],
    ["a body over 20,000 characters", { title: "Long", body: "b".repeat(20_001) }, "body"],
  ])("refuses %s (400 at %s)", async (_, body, path) => {
    const res = await create(admin, body);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe(path);
  });

  it("refuses a second one with the same title: 409 naming title; another tenant may use it", async () => {
    expect((await create(admin, { title: "Twice", body: "one" })).status).toBe(201);
    const before = await rows();
    const again = await create(admin, { title: "Twice", body: "two" });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: "title", message: expect.any(String) }]);
    expect(await rows()).toBe(before);
    expect(
      await count("audit_log", "tenant_id = ?1 AND action = 'canned.create' AND detail LIKE '%Twice%'", t.id),
    ).toBe(1);
    expect((await create(otherAdmin, { title: "Twice", body: "theirs" }, other.id)).status).toBe(201);
  });

  it("lets an admin edit and delete, each audited; an unknown id is 404", async () => {
    const made = await create(admin, { title: "Old title", body: "old" });
    const id = made.body.cannedReply.id;
    const put = await api<CannedReplyResponse>("PUT", `${base}/${id}`, {
      token: admin,
      body: { title: "New title", body: "new {{agent.name}}" },
    });
    expect(put.status).toBe(200);
    expect(put.body.cannedReply).toMatchObject({ id, title: "New title", body: "new {{agent.name}}" });
    const bad = await api<Problem>("PUT", `${base}/${id}`, {
      token: admin,
      body: { title: "New title", body: "{{x}}" },
    });
    expect(bad.status).toBe(400);
    const del = await api("DELETE", `${base}/${id}`, { token: admin });
    expect(del.status).toBe(204);
    expect(await count("canned_replies", "id = ?1", id)).toBe(0);
    expect((await api("DELETE", `${base}/${id}`, { token: admin })).status).toBe(404);
    expect((await api("PUT", `${base}/${id}`, { token: admin, body: { title: "T", body: "b" } })).status).toBe(404);
    const audit = await auditRows(t.id, "detail LIKE ?2", `%${id}%`);
    expect(audit.map((a) => a.action)).toEqual(["canned.create", "canned.update", "canned.delete"]);
  });

  it("gives agents 403 on changes, customers 404 everywhere, and another tenant's admin 404", async () => {
    const made = await create(admin, { title: "Guarded", body: "b" });
    const id = made.body.cannedReply.id;
    expect((await create(bob, { title: "By agent", body: "b" })).status).toBe(403);
    expect((await api("PUT", `${base}/${id}`, { token: bob, body: { title: "x", body: "y" } })).status).toBe(403);
    expect((await api("DELETE", `${base}/${id}`, { token: bob })).status).toBe(403);
    for (const [method, path, body] of [
      ["GET", base, undefined],
      ["POST", base, { title: "By customer", body: "b" }],
      ["PUT", `${base}/${id}`, { title: "x", body: "y" }],
      ["DELETE", `${base}/${id}`, undefined],
    ] as const) {
      const res = await api<Problem>(method, path, { token: customer, body });
      expect(res.status).toBe(404);
    }
    expect((await api("DELETE", `/api/v1/${other.id}/canned-replies/${id}`, { token: otherAdmin })).status).toBe(404);
    expect(await count("canned_replies", "id = ?1", id)).toBe(1);
  });
});

describe("shared/placeholders.ts", () => {
  it("fills the four placeholders and leaves anything else as written", () => {
    const body = "Hi {{customer.name}}, #{{ ticket.number }} by {{agent.name}} at {{tenant.name}}; {{other}} {single}";
    expect(
      fillPlaceholders(body, {
        "customer.name": "Alice",
        "ticket.number": "42",
        "agent.name": "Bob",
        "tenant.name": "Northwind",
      }),
    ).toBe("Hi Alice, #42 by Bob at Northwind; {{other}} {single}");
  });

  it("lists unknown placeholders once each", () => {
    expect(unknownPlaceholders("{{a}} {{customer.name}} {{a}} {{ b.c }}")).toEqual(["a", "b.c"]);
    expect(unknownPlaceholders("no placeholders {here}")).toEqual([]);
  });
});
