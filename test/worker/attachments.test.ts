import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { linkSigner } from "../../worker/attachments/links";
import { sweepExpiredUploads, UPLOAD_TTL_MS } from "../../worker/attachments/service";
import type { Problem } from "../../worker/errors";
import type {
  AttachmentView,
  CreateTicketResponse,
  ReplyResponse,
  TicketDetailResponse,
} from "../../worker/schemas/ticket";
import { staff } from "./console-helpers";
import { bytes, download, objects, upload } from "./files";
import { api, billingTicket, count, newTenant } from "./helpers";

const PNG = bytes(
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
  "IHDR",
  [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0],
);
const JPEG = bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], "JFIF", [0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const PDF = bytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0], "rest-of-a-zip-entry");
const TEXT = bytes("2026-11-23 10:00:01 [error] upstream timed out (110: Connection timed out) — ошибка\n");
const HTML = bytes("<!doctype html><script>alert(1)</script>");
const SVG = bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');
const EXE = bytes("MZ", [0x90, 0, 3, 0, 0, 0, 4, 0]);

describe("uploads: what is accepted", async () => {
  const t = await newTenant();
  const alice = await t.token();

  for (const [name, content, type] of [
    ["screenshot.png", PNG, "image/png"],
    ["photo.jpg", JPEG, "image/jpeg"],
    ["photo.JPEG", JPEG, "image/jpeg"],
    ["invoice.pdf", PDF, "application/pdf"],
    ["notes.txt", TEXT, "text/plain; charset=utf-8"],
    ["error.log", TEXT, "text/plain; charset=utf-8"],
    ["site-backup.zip", ZIP, "application/zip"],
  ] as const) {
    it(`accepts ${name} as ${type}, whatever Content-Type the client claims, and records size and SHA-256`, async () => {
      const res = await upload(t.id, name, content, { token: alice });
      expect(res.status).toBe(201);
      expect(res.body.upload).toMatchObject({ name, size: content.length, type });
      const row = await env.DB.prepare("SELECT * FROM attachments WHERE id = ?1")
        .bind(res.body.upload.id)
        .first<{ r2_key: string; sha256: string; state: string; size: number }>();
      const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", content))]
        .map((b) => b.toString(16).padStart(2, "0"))
        .join("");
      expect(row).toMatchObject({
        r2_key: `${t.id}/new/${res.body.upload.id}`,
        sha256: digest,
        state: "ready",
        size: content.length,
      });
      const stored = await env.FILES.get(row!.r2_key);
      expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(content);
      expect(stored!.httpMetadata?.contentType).toBe(type);
    });
  }

  it("keeps only a clean display name: no directories, control or direction characters; the key never uses it", async () => {
    const res = await upload(t.id, "../../../etc/cron.d/\u0007evil\u202Egnp.txt", TEXT, { token: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload.name).toBe("evilgnp.txt");
    const windows = await upload(t.id, "C:\\Users\\bob\\..\\report.pdf", PDF, { token: alice });
    expect(windows.body.upload.name).toBe("report.pdf");
    const long = await upload(t.id, `${"a".repeat(400)}.pdf`, PDF, { token: alice });
    expect(long.body.upload.name).toHaveLength(120);
    expect(long.body.upload.name.endsWith(".pdf")).toBe(true);
    const emoji = await upload(t.id, `a${"😀".repeat(200)}.txt`, TEXT, { token: alice });
    expect(Array.from(emoji.body.upload.name)).toHaveLength(120);
    // Cut between characters, never inside one: a lone surrogate would not encode.
    expect(() => encodeURIComponent(emoji.body.upload.name)).not.toThrow();
    for (const key of await objects(t.id)) expect(key).toMatch(new RegExp(`^${t.id}/new/[0-9a-f-]{36}$`));
  });
});

describe("uploads: what is refused, leaving nothing behind", async () => {
  const t = await newTenant({
    config: {
      attachments: {
        allowedExtensions: [".jpg", ".jpeg", ".png", ".pdf", ".txt", ".log", ".zip"],
        maxFileBytes: 2048,
        maxFilesPerMessage: 2,
      },
    },
  });
  const alice = await t.token();
  const nothingLeft = async () => {
    expect(await count("attachments", "tenant_id = ?1", t.id)).toBe(0);
    expect(await objects(t.id)).toEqual([]);
  };

  for (const [label, name, content, status, path] of [
    ["a PNG renamed .pdf", "scan.pdf", PNG, 415, "file"],
    ["an HTML page renamed .jpg", "cat.jpg", HTML, 415, "file"],
    ["an SVG renamed .jpg", "logo.jpg", SVG, 415, "file"],
    ["a .txt holding binary (NUL bytes)", "readme.txt", bytes("hello", [0, 1, 2], "world"), 415, "file"],
    ["a .log that is not UTF-8", "server.log", bytes("caf", [0xe9], " au lait"), 415, "file"],
    ["a ZIP that is not one", "backup.zip", PDF, 415, "file"],
    ["an .exe", "setup.exe", EXE, 415, "name"],
    ["a double extension", "report.pdf.html", HTML, 415, "name"],
    ["no extension", "Makefile", TEXT, 415, "name"],
    ["an empty file", "empty.txt", new Uint8Array(0), 422, "file"],
    ["a name with nothing left once cleaned", "../..", TEXT, 422, "name"],
    ["one byte over the size limit", "big.txt", new Uint8Array(2049).fill(0x61), 413, "file"],
  ] as const) {
    it(`refuses ${label} with ${status}, naming the rule`, async () => {
      const res = await upload(t.id, name, content, { token: alice });
      expect(res.status).toBe(status);
      expect(res.body.errors?.[0]?.path).toBe(path);
      expect(res.body.detail.length).toBeGreaterThan(10);
      await nothingLeft();
    });
  }

  it("refuses a text file whose bad byte comes after the first chunk", async () => {
    const content = new Uint8Array(2000).fill(0x61);
    content[1999] = 0;
    const res = await upload(t.id, "long.log", content, { token: alice });
    expect(res.status).toBe(415);
    await nothingLeft();
  });

  it("accepts a file of exactly the size limit", async () => {
    const res = await upload(t.id, "exact.txt", new Uint8Array(2048).fill(0x62), { token: alice });
    expect(res.status).toBe(201);
    expect(res.body.upload.size).toBe(2048);
  });

  it("asks for a length when there is none, and refuses anyone without credentials", async () => {
    const other = await newTenant();
    const token = await other.token();
    expect((await upload(other.id, "a.txt", TEXT, { token }, { length: null })).status).toBe(411);
    expect((await upload(other.id, "a.txt", TEXT, {})).status).toBe(401);
    expect(await count("attachments", "tenant_id = ?1", other.id)).toBe(0);
  });
});

describe("attaching", async () => {
  const t = await newTenant({
    config: {
      guestsAllowed: true,
      attachments: { allowedExtensions: [".png", ".pdf", ".txt"], maxFileBytes: 1024 * 1024, maxFilesPerMessage: 2 },
    },
  });
  const alice = await t.token();
  const carol = await t.token({ sub: "carol", name: "Carol", email: "carol@example.com" });
  const agent = await t.token(staff("bob", "Bob Agent"));
  const up = async (token: string, name = "shot.png", content: Uint8Array = PNG, ticket?: string) => {
    const res = await upload(t.id, name, content, { token }, ticket ? { ticket } : {});
    expect(res.status).toBe(201);
    return res.body.upload.id;
  };
  const file = (token: string, attachmentIds: string[]) =>
    api<CreateTicketResponse & Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token,
      body: { ...billingTicket, attachmentIds },
    });
  const reply = (token: string, ticketId: string, attachmentIds: string[], internal = false) =>
    api<ReplyResponse & Problem>("POST", `/api/v1/${t.id}/tickets/${ticketId}/messages`, {
      token,
      body: { body: "See attached.", internal, attachmentIds },
    });

  it("puts uploads on the new ticket's first message, and lists them with sizes and links", async () => {
    const png = await up(alice);
    const pdf = await up(alice, "invoice.pdf", PDF);
    const created = await file(alice, [png, pdf]);
    expect(created.status).toBe(201);
    const detail = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${created.body.ticket.id}`, {
      token: alice,
    });
    const first = detail.body.ticket.messages[0]!;
    expect(first.attachments.map((a) => [a.name, a.size, a.type])).toEqual([
      ["shot.png", PNG.length, "image/png"],
      ["invoice.pdf", PDF.length, "application/pdf"],
    ]);
    // No thumbnail was sent (thumbnails.test.ts): the image's original is never offered as one.
    expect(first.attachments.map((a) => a.thumbnailUrl)).toEqual([null, null]);
  });

  it("refuses more files than the tenant allows on one message, writing nothing", async () => {
    const ids = [await up(alice), await up(alice), await up(alice)];
    const before = await count("tickets", "tenant_id = ?1", t.id);
    const res = await file(alice, ids);
    expect(res.status).toBe(422);
    expect(res.body.errors?.[0]?.path).toBe("attachmentIds");
    expect(await count("tickets", "tenant_id = ?1", t.id)).toBe(before);
    expect(await count("attachments", "id IN (?1, ?2, ?3) AND message_id IS NULL", ...ids)).toBe(3);
  });

  it("lets only the uploader attach an upload, and only once", async () => {
    const id = await up(alice);
    const stolen = await file(carol, [id]);
    expect(stolen.status).toBe(422);
    expect(stolen.body.errors).toEqual([
      { path: "attachmentIds.0", message: "is not an upload of yours waiting to be attached" },
    ]);
    const first = await file(alice, [id]);
    expect(first.status).toBe(201);
    const again = await reply(alice, first.body.ticket.id, [id]);
    expect(again.status).toBe(422);
    expect(await count("messages", "ticket_id = ?1", first.body.ticket.id)).toBe(1);
    expect(await count("attachments", "id = ?1 AND message_id IS NOT NULL", id)).toBe(1);
  });

  it("gives a file raced onto two replies to exactly one of them; the other reply is not written", async () => {
    const ticket = (await file(alice, [])).body.ticket.id;
    const id = await up(alice);
    const [a, b] = await Promise.all([reply(alice, ticket, [id]), reply(alice, ticket, [id])]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    // The loser checked its files again and says which one it could not have.
    expect((a.status === 422 ? a : b).body.errors).toEqual([
      { path: "attachmentIds.0", message: "is not an upload of yours waiting to be attached" },
    ]);
    expect(await count("messages", "ticket_id = ?1", ticket)).toBe(2);
    const detail = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket}`, { token: alice });
    expect(detail.body.ticket.messages.flatMap((m) => m.attachments.map((x) => x.id))).toEqual([id]);
  });

  it("keeps an upload made for one ticket off any other", async () => {
    const one = (await file(alice, [])).body.ticket.id;
    const two = (await file(alice, [])).body.ticket.id;
    const id = await up(alice, "shot.png", PNG, one);
    expect((await reply(alice, two, [id])).status).toBe(422);
    expect((await file(alice, [id])).status).toBe(422);
    expect((await reply(alice, one, [id])).status).toBe(201);
    expect(
      (await env.DB.prepare("SELECT r2_key FROM attachments WHERE id = ?1").bind(id).first<{ r2_key: string }>())
        ?.r2_key,
    ).toBe(`${t.id}/${one}/${id}`);
  });

  it("answers 404 to an upload for someone else's ticket", async () => {
    const theirs = (await file(carol, [])).body.ticket.id;
    const res = await upload(t.id, "shot.png", PNG, { token: alice }, { ticket: theirs });
    expect(res.status).toBe(404);
    expect(await count("attachments", "for_ticket_id = ?1", theirs)).toBe(0);
  });

  it("lets a guest attach to replies on their ticket with their key, and nowhere else", async () => {
    const guestBody = { ...billingTicket, guest: { name: "Gina", email: "gina@example.net" } };
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, { body: guestBody });
    const key = created.body.accessKey;
    const other = (await file(alice, [])).body.ticket.id;
    expect((await upload(t.id, "shot.png", PNG, { key }, { ticket: other })).status).toBe(404);
    const res = await upload(t.id, "shot.png", PNG, { key });
    expect(res.status).toBe(201);
    const replied = await api<ReplyResponse>("POST", `/api/v1/${t.id}/tickets/${created.body.ticket.id}/messages`, {
      key,
      body: { body: "Screenshot attached.", attachmentIds: [res.body.upload.id] },
    });
    expect(replied.status).toBe(201);
    expect(replied.body.message.attachments.map((a) => a.name)).toEqual(["shot.png"]);
    const filedWithFile = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      body: { ...guestBody, attachmentIds: [res.body.upload.id] },
    });
    expect(filedWithFile.status).toBe(422);
  });

  describe("downloads", async () => {
    const ticket = (
      await file(alice, [await up(alice), await up(alice, "notes.txt", bytes("root cause: disk full\n"))])
    ).body.ticket.id;
    const detail = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket}`, { token: alice });
    const [png, txt] = detail.body.ticket.messages[0]!.attachments as [AttachmentView, AttachmentView];
    const noteFile = await up(agent, "internal.txt", bytes("agent-only notes\n"), ticket);
    const note = await reply(agent, ticket, [noteFile], true);
    const other = await newTenant();

    it("serves the file to whoever may see the ticket, as a sandboxed download with its name", async () => {
      for (const token of [alice, agent]) {
        const res = await download(`/api/v1/${t.id}/attachments/${txt.id}`, { token });
        expect(res.status).toBe(200);
        expect(new TextDecoder().decode(res.bytes)).toBe("root cause: disk full\n");
        expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
        expect(res.headers.get("content-disposition")).toBe(
          `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
        );
        expect(res.headers.get("x-content-type-options")).toBe("nosniff");
        expect(res.headers.get("content-security-policy")).toBe("sandbox");
        expect(res.headers.get("cache-control")).toMatch(/^private/);
      }
    });

    it("answers 404 to another customer, another tenant, and a customer asking for an internal note's file", async () => {
      expect((await download(`/api/v1/${t.id}/attachments/${txt.id}`, { token: carol })).status).toBe(404);
      expect((await download(`/api/v1/${other.id}/attachments/${txt.id}`, { token: await other.token() })).status).toBe(
        404,
      );
      expect((await download(`/api/v1/${t.id}/attachments/${txt.id}`)).status).toBe(401);
      const noteAttachment = note.body.message.attachments[0]!;
      expect((await download(`/api/v1/${t.id}/attachments/${noteAttachment.id}`, { token: alice })).status).toBe(404);
      expect((await download(`/api/v1/${t.id}/attachments/${noteAttachment.id}`, { token: agent })).status).toBe(200);
      const customerView = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket}`, {
        token: alice,
      });
      expect(customerView.body.ticket.messages.flatMap((m) => m.attachments.map((a) => a.id))).not.toContain(
        noteAttachment.id,
      );
    });

    it("follows the signed links of the ticket view without credentials; a changed or foreign link is 404", async () => {
      const res = await download(txt.url);
      expect(res.status).toBe(200);
      const inline = await download(`/api/v1/${t.id}/attachments/${png.id}?inline=1`, { token: alice });
      expect(inline.headers.get("content-disposition")).toMatch(/^inline; filename="shot.png"/);
      expect(inline.bytes).toEqual(PNG);
      // Asking the download link for inline use does not turn it into one.
      expect((await download(`${png.url}&inline=1`)).status).toBe(404);
      expect((await download(txt.url.replace(/sig=[^&]+/, "sig=AAAA"))).status).toBe(404);
      expect((await download(txt.url.replace(`/api/v1/${t.id}/`, `/api/v1/${other.id}/`))).status).toBe(404);
      const expired = await (
        await linkSigner(env.SECRETS_KEY!, "https://desk.example.com", t.id, Date.now() - 3 * 3_600_000)
      )(txt.id, "attachment");
      expect((await download(expired)).status).toBe(404);
    });

    it("answers a repeat request with 304 when the file has not changed", async () => {
      const first = await download(txt.url);
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      const again = await download(txt.url, {}, { "if-none-match": etag });
      expect(again.status).toBe(304);
      expect(again.bytes).toHaveLength(0);
    });

    it("names a non-ASCII file safely in Content-Disposition", async () => {
      const id = await up(alice, 'счёт "март".pdf', PDF);
      const withFile = await file(alice, [id]);
      const res = await download(`/api/v1/${t.id}/attachments/${id}`, { token: alice });
      expect(withFile.status).toBe(201);
      expect(res.headers.get("content-disposition")).toBe(
        `attachment; filename="____ ______.pdf"; filename*=UTF-8''%D1%81%D1%87%D1%91%D1%82%20%22%D0%BC%D0%B0%D1%80%D1%82%22.pdf`,
      );
    });

    it("does not serve an upload that is not attached yet, even to its uploader", async () => {
      const id = await up(alice);
      expect((await download(`/api/v1/${t.id}/attachments/${id}`, { token: alice })).status).toBe(404);
    });
  });
});

describe("the expiry sweep", async () => {
  const t = await newTenant();
  const alice = await t.token();
  const up = async () => (await upload(t.id, "shot.png", PNG, { token: alice })).body.upload.id;
  const age = (id: string, ms: number) =>
    env.DB.prepare("UPDATE attachments SET created_at = created_at - ?2 WHERE id = ?1").bind(id, ms).run();

  it("deletes uploads left unattached for 24 hours, object and row, and keeps attached and recent ones", async () => {
    const attached = await up();
    await api("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: { ...billingTicket, attachmentIds: [attached] },
    });
    const orphan = await up();
    const recent = await up();
    await age(attached, UPLOAD_TTL_MS + 60_000);
    await age(orphan, UPLOAD_TTL_MS + 60_000);
    await age(recent, UPLOAD_TTL_MS - 60_000);
    // A crash mid-upload leaves a row in 'uploading', and perhaps an object.
    await env.DB.prepare(
      "INSERT INTO attachments (id, tenant_id, uploader, r2_key, name, content_type, state, created_at) VALUES ('crashed', ?1, 'user:alice', ?2, 'x.png', 'image/png', 'uploading', ?3)",
    )
      .bind(t.id, `${t.id}/new/crashed`, Date.now() - UPLOAD_TTL_MS - 1)
      .run();
    await env.FILES.put(`${t.id}/new/crashed`, PNG);

    const stats = await sweepExpiredUploads(env, Date.now());
    expect(stats.deleted).toBeGreaterThanOrEqual(2);
    const left = (
      await env.DB.prepare("SELECT id FROM attachments WHERE tenant_id = ?1 ORDER BY id")
        .bind(t.id)
        .all<{ id: string }>()
    ).results.map((r) => r.id);
    expect(left.sort()).toEqual([attached, recent].sort());
    expect((await objects(t.id)).sort()).toEqual([`${t.id}/new/${attached}`, `${t.id}/new/${recent}`].sort());
    // Idempotent: a second run finds nothing of this tenant's to do.
    await sweepExpiredUploads(env, Date.now());
    expect(await count("attachments", "tenant_id = ?1", t.id)).toBe(2);
  });

  it("finishes a sweep that died after claiming rows, and an expired upload can no longer be attached", async () => {
    const id = await up();
    await age(id, UPLOAD_TTL_MS + 1);
    await env.DB.prepare("UPDATE attachments SET state = 'deleting' WHERE id = ?1").bind(id).run();
    const res = await api<Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token: alice,
      body: { ...billingTicket, attachmentIds: [id] },
    });
    expect(res.status).toBe(422);
    await sweepExpiredUploads(env, Date.now());
    expect(await count("attachments", "id = ?1", id)).toBe(0);
    expect(await env.FILES.head(`${t.id}/new/${id}`)).toBeNull();
  });
});
