import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Problem } from "../../worker/errors";
import { auditRows, staff } from "./console-helpers";
import { ADMIN } from "./helpers";
import { fetchBytes, PNG, personWithData, text, unzip } from "./people-helpers";

interface TicketFile {
  ticket: { number: number; subject: string; requester: { name: string; email: string } };
  messages: {
    id: string;
    author: { kind: string; name: string };
    body: string;
    attachments: { id: string; name: string; sha256: string; size: number; file: string }[];
    mailOriginal: string | null;
  }[];
  history: { field: string; to: string }[];
  votes: { messageId: string; helpful: boolean }[];
}

const exportPath = (tenantId: string, email: string) =>
  `/api/v1/${tenantId}/people/${encodeURIComponent(email)}/export`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("one person's export", () => {
  it("round-trips their tickets, messages, history, votes, every file byte for byte and their mail originals", async () => {
    const s = await personWithData();
    // Any case of the address finds them.
    const res = await fetchBytes("GET", exportPath(s.t.id, s.person.email.toUpperCase()), bearer(s.tokens.admin));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.zip"$/);
    const zip = unzip(res.bytes);

    expect(JSON.parse(text(zip["person.json"]))).toMatchObject({
      email: s.person.email.toUpperCase(),
      tenant: { id: s.t.id },
    });
    const ticketFiles = Object.keys(zip).filter((n) => n.startsWith("tickets/"));
    expect(ticketFiles).toHaveLength(2);
    const tickets = ticketFiles.map((n) => JSON.parse(text(zip[n])) as TicketFile);
    const filed = tickets.find((t) => t.ticket.number === s.ticket.number)!;
    const byMail = tickets.find((t) => t.ticket.number !== s.ticket.number)!;

    expect(filed.ticket.subject).toBe(`Invoice ${s.phrase}`);
    expect(filed.ticket.requester).toMatchObject({ name: s.person.name, email: s.person.email });
    // Their first message, the staff reply, their reply by mail; never the internal note.
    expect(filed.messages.map((m) => m.author.kind)).toEqual(["customer", "agent", "customer"]);
    expect(filed.messages[0]!.body).toContain(s.phrase);
    expect(JSON.stringify(filed)).not.toContain("long-time customer");
    expect(filed.votes).toEqual([{ messageId: filed.messages[1]!.id, helpful: true, at: expect.any(String) }]);
    expect(filed.history.length).toBeGreaterThan(0);

    // The two uploads, exactly as uploaded; every listed file byte-identical to its R2 object.
    const listed = filed.messages.flatMap((m) => m.attachments);
    expect(listed.map((a) => a.name).sort()).toEqual(["error.log", "screen.png", "trace.log"]);
    expect(zip[listed.find((a) => a.name === "screen.png")!.file]).toEqual(PNG);
    expect(zip[listed.find((a) => a.name === "error.log")!.file]).toEqual(s.files.log);
    for (const a of [...listed, ...byMail.messages.flatMap((m) => m.attachments)]) {
      const row = await env.DB.prepare("SELECT r2_key FROM attachments WHERE id = ?1")
        .bind(a.id)
        .first<{ r2_key: string }>();
      const object = await env.FILES.get(row!.r2_key);
      expect(zip[a.file]).toEqual(new Uint8Array(await object!.arrayBuffer()));
      expect(zip[a.file]!.length).toBe(a.size);
    }
    // The mails, as received.
    expect(text(zip[filed.messages[2]!.mailOriginal!])).toBe(s.mails.reply);
    expect(text(zip[byMail.messages[0]!.mailOriginal!])).toBe(s.mails.created);
    expect(byMail.messages[0]!.attachments.map((a) => text(zip[a.file]).trim())).toEqual([`second trace ${s.phrase}`]);

    // Nothing of anyone else.
    for (const [name, bytes] of Object.entries(zip)) {
      expect(text(bytes), name).not.toContain(s.bystanderPhrase);
      expect(text(bytes), name).not.toContain(s.bystander.email);
    }
    // Every entry is accounted for: person.json, the tickets, the files and mails they name.
    const named = tickets.flatMap((t) =>
      t.messages.flatMap((m) => [...m.attachments.map((a) => a.file), ...(m.mailOriginal ? [m.mailOriginal] : [])]),
    );
    expect(Object.keys(zip).sort()).toEqual(["person.json", ...ticketFiles, ...named].sort());

    // The audit log says who exported, not whose data.
    const audit = await auditRows(s.t.id, "action = 'people.export'");
    expect(audit).toEqual([
      { action: "people.export", actor_id: expect.stringMatching(/^admin-/), ticket_id: null, detail: "{}" },
    ]);
  });

  it("is open to the provider's operator with ADMIN_SECRET (the CLI)", async () => {
    const s = await personWithData();
    const res = await fetchBytes("GET", exportPath(s.t.id, s.person.email), ADMIN);
    expect(res.status).toBe(200);
    expect(Object.keys(unzip(res.bytes)).filter((n) => n.startsWith("tickets/"))).toHaveLength(2);
    expect((await auditRows(s.t.id, "action = 'people.export'"))[0]!.actor_id).toBe("operator");
  });

  it("gives someone with no tickets an archive with person.json only", async () => {
    const s = await personWithData();
    const res = await fetchBytes("GET", exportPath(s.t.id, "nobody@example.com"), bearer(s.tokens.admin));
    expect(res.status).toBe(200);
    expect(Object.keys(unzip(res.bytes))).toEqual(["person.json"]);
  });

  it("is refused to agents (403), customers and the person themself (404), and without credentials (401)", async () => {
    const s = await personWithData();
    const path = exportPath(s.t.id, s.person.email);
    expect((await fetchBytes("GET", path, bearer(s.tokens.agent))).status).toBe(403);
    expect((await fetchBytes("GET", path, bearer(s.tokens.zoe))).status).toBe(404);
    expect((await fetchBytes("GET", path, bearer(s.tokens.ben))).status).toBe(404);
    expect((await fetchBytes("GET", path)).status).toBe(401);
    expect((await fetchBytes("GET", path, { authorization: "Bearer not-the-admin-secret" })).status).toBe(401);
    const otherAdmin = await s.t.token(staff("someone", "Someone", "admin"));
    expect(
      (await fetchBytes("GET", `/api/v1/nope-${s.t.id}/people/a%40b.example/export`, bearer(otherAdmin))).status,
    ).toBe(404);
    expect(await auditRows(s.t.id, "action = 'people.export'")).toEqual([]);
  });

  it("answers an address that is not an email with a problem naming the field", async () => {
    const s = await personWithData();
    const res = await fetchBytes("GET", exportPath(s.t.id, "not-an-email"), bearer(s.tokens.admin));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(text(res.bytes)) as Problem;
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors).toEqual([{ path: "email", message: "must be an email address" }]);
  });
});
