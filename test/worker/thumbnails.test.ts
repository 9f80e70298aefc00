import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sweepExpiredUploads, UPLOAD_TTL_MS } from "../../worker/attachments/service";
import { readImageHeader } from "../../worker/attachments/thumbnail-check";
import { receiveThumbnail } from "../../worker/attachments/thumbnails";
import { readTenant } from "../../worker/db/tenants";
import type { Problem } from "../../worker/errors";
import { ApiError } from "../../worker/errors";
import { countingD1, noD1Counts } from "../../worker/middleware/d1-counts";
import type { CreateTicketResponse, TicketDetailResponse } from "../../worker/schemas/ticket";
import { bytes, download, objects, putThumbnail, upload } from "./files";
import { api, billingTicket, newTenant, principal } from "./helpers";
import { calls, measure } from "./measure";

const u16le = (n: number) => [n & 0xff, n >> 8];
const u24le = (n: number) => [n & 0xff, (n >> 8) & 0xff, n >> 16];
const u32be = (n: number) => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];

/** A lossy WebP's header (VP8 key frame) and some payload: what the server reads of one. */
const webp = (width: number, height: number, payload = 2000) =>
  bytes(
    "RIFF",
    [0, 0, 0, 0],
    "WEBPVP8 ",
    [0, 0, 0, 0, 0x9d, 0x01, 0x2a, 0x9d, 0x01, 0x2a],
    u16le(width),
    u16le(height),
    new Array<number>(payload).fill(7),
  );
const webpLossless = (width: number, height: number) => {
  const bits = (width - 1) | ((height - 1) << 14);
  return bytes(
    "RIFF",
    [0, 0, 0, 0],
    "WEBPVP8L",
    [0, 0, 0, 0, 0x2f],
    [bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24],
    new Array<number>(20).fill(0),
  );
};
const webpExtended = (width: number, height: number) =>
  bytes("RIFF", [0, 0, 0, 0], "WEBPVP8X", [10, 0, 0, 0, 0, 0, 0, 0], u24le(width - 1), u24le(height - 1), [0, 0]);
const png = (width: number, height: number) =>
  bytes(
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13],
    "IHDR",
    u32be(width),
    u32be(height),
    [8, 6, 0, 0, 0],
  );
/** SOI, an APP0 segment, then a baseline frame header (SOF0) with the size. */
const jpeg = (width: number, height: number) =>
  bytes(
    [0xff, 0xd8, 0xff, 0xe0, 0, 16],
    "JFIF",
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xc0, 0, 11, 8],
    [height >> 8, height & 0xff, width >> 8, width & 0xff],
    [1, 1, 0x11, 0],
    [0xff, 0xd9],
  );

const ORIGINAL = png(1600, 1200);

describe("thumbnail headers", () => {
  it("reads type and size from each format's own header", () => {
    expect(readImageHeader(webp(96, 72))).toEqual({ type: "image/webp", width: 96, height: 72 });
    expect(readImageHeader(webpLossless(96, 54))).toEqual({ type: "image/webp", width: 96, height: 54 });
    expect(readImageHeader(webpExtended(80, 96))).toEqual({ type: "image/webp", width: 80, height: 96 });
    expect(readImageHeader(png(96, 64))).toEqual({ type: "image/png", width: 96, height: 64 });
    expect(readImageHeader(jpeg(96, 60))).toEqual({ type: "image/jpeg", width: 96, height: 60 });
    expect(readImageHeader(bytes("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(readImageHeader(jpeg(96, 60).slice(0, 12))).toBeNull();
  });
});

describe("thumbnails", async () => {
  const t = await newTenant({ config: { guestsAllowed: true } });
  const alice = await t.token();
  const carol = await t.token({ sub: "carol", name: "Carol", email: "carol@example.com" });
  const up = async (token = alice, name = "screenshot.png", content: Uint8Array = ORIGINAL) => {
    const res = await upload(t.id, name, content, { token });
    expect(res.status).toBe(201);
    return res.body.upload.id;
  };
  const file = (attachmentIds: string[], token = alice) =>
    api<CreateTicketResponse & Problem>("POST", `/api/v1/${t.id}/tickets`, {
      token,
      body: { ...billingTicket, attachmentIds },
    });
  const row = (id: string) =>
    env.DB.prepare("SELECT thumb_type, thumb_size, thumb_width, thumb_height FROM attachments WHERE id = ?1")
      .bind(id)
      .first<{ thumb_type: string | null }>();

  it("keeps a checked thumbnail with its upload; the ticket view links to it, never to the original", async () => {
    const id = await up();
    const thumbnail = webp(96, 72);
    const put = await putThumbnail(t.id, id, thumbnail, { token: alice });
    expect(put.status).toBe(201);
    expect(put.body.thumbnail).toEqual({ type: "image/webp", size: thumbnail.length, width: 96, height: 72 });
    const ticket = (await file([id])).body.ticket.id;
    const view = await api<TicketDetailResponse>("GET", `/api/v1/${t.id}/tickets/${ticket}`, { token: alice });
    const a = view.body.ticket.messages[0]!.attachments[0]!;
    expect(a.thumbnailUrl).toMatch(new RegExp(`/attachments/${id}/thumbnail\\?exp=\\d+&sig=`));
    const got = await download(a.thumbnailUrl!);
    expect(got.status).toBe(200);
    expect(got.bytes).toEqual(thumbnail);
    expect(got.headers.get("content-type")).toBe("image/webp");
    expect(got.headers.get("content-disposition")).toBe("inline");
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await download(a.thumbnailUrl!, {}, { "if-none-match": got.headers.get("etag")! })).status).toBe(304);
    // The original is still a download, and its link does not open the thumbnail, nor the reverse.
    expect((await download(a.url)).bytes).toEqual(ORIGINAL);
    expect((await download(a.url.replace(`/attachments/${id}?`, `/attachments/${id}/thumbnail?`))).status).toBe(404);
    expect((await download(`/api/v1/${t.id}/attachments/${id}/thumbnail`, { token: carol })).status).toBe(404);
    expect((await download(`/api/v1/${t.id}/attachments/${id}/thumbnail`, { token: alice })).status).toBe(200);
  });

  it("costs one D1 round trip to send, and none more to show: the ticket view stays one", async () => {
    const id = await up();
    const counts = noD1Counts();
    const put = await putThumbnail(
      t.id,
      id,
      webp(96, 72),
      { token: alice },
      { ...env, DB: countingD1(env.DB, counts) },
    );
    expect([put.status, counts.calls]).toEqual([201, 1]);
    const ticket = (await file([id])).body.ticket.id;
    const view = await measure("GET", `/api/v1/${t.id}/tickets/${ticket}`, alice);
    expect(calls(view)).toBe("200: 1");
    expect(JSON.stringify(view.body)).toContain(`/attachments/${id}/thumbnail?`);
  });

  it("takes JPEG and PNG thumbnails too, typed by their bytes", async () => {
    for (const [content, type] of [
      [jpeg(96, 60), "image/jpeg"],
      [png(64, 96), "image/png"],
    ] as const) {
      const id = await up(alice, "photo.jpg", jpeg(4000, 3000));
      const put = await putThumbnail(t.id, id, content, { token: alice });
      expect(put.status).toBe(201);
      expect(put.body.thumbnail.type).toBe(type);
    }
  });

  for (const [what, content, status, message] of [
    [
      "not an image",
      bytes("<!doctype html><script>alert(1)</script>"),
      415,
      "content is not a WebP, JPEG or PNG image",
    ],
    [
      "an SVG",
      bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
      415,
      "content is not a WebP, JPEG or PNG image",
    ],
    ["over 16 KB", webp(96, 72, 17_000), 413, "is larger than 16 KB"],
    ["over 256 px a side", png(1600, 1200), 422, "is larger than 256 px a side"],
    ["empty", new Uint8Array(0), 422, "is empty"],
  ] as const) {
    it(`refuses a thumbnail that is ${what}, with the field and the reason, leaving no object and no record`, async () => {
      const id = await up();
      const before = await objects(t.id);
      const res = await putThumbnail(t.id, id, content, { token: alice });
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(res.body.errors).toEqual([{ path: "file", message }]);
      expect(await objects(t.id)).toEqual(before);
      expect(await row(id)).toMatchObject({ thumb_type: null, thumb_size: null, thumb_width: null });
    });
  }

  it("answers 404 for someone else's upload, and writes nothing to it or to R2", async () => {
    const id = await up(carol);
    const before = await objects(t.id);
    const res = await putThumbnail(t.id, id, webp(96, 72), { token: alice });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
    expect(await objects(t.id)).toEqual(before);
    expect((await row(id))?.thumb_type).toBeNull();
    const elsewhere = await newTenant();
    expect((await putThumbnail(elsewhere.id, id, webp(96, 72), { token: await elsewhere.token() })).status).toBe(404);
    expect((await putThumbnail(t.id, "no-such-upload", webp(96, 72), { token: alice })).status).toBe(404);
  });

  it("refuses a thumbnail for a file that is not an image, one already attached, and a second one", async () => {
    const pdf = await up(alice, "invoice.pdf", bytes("%PDF-1.7\n%%EOF\n"));
    const notImage = await putThumbnail(t.id, pdf, webp(96, 72), { token: alice });
    expect(notImage.status).toBe(422);
    expect(notImage.body.errors).toEqual([{ path: "id", message: "is not an image upload" }]);

    const attached = await up();
    await file([attached]);
    const late = await putThumbnail(t.id, attached, webp(96, 72), { token: alice });
    expect(late.body.errors).toEqual([{ path: "id", message: "is already attached" }]);

    const once = await up();
    const first = webp(96, 72);
    expect((await putThumbnail(t.id, once, first, { token: alice })).status).toBe(201);
    const second = await putThumbnail(t.id, once, webp(90, 90, 100), { token: alice });
    expect(second.body.errors).toEqual([{ path: "id", message: "already has a thumbnail" }]);
    const kept = await env.FILES.get(`${t.id}/new/${once}.thumbnail`);
    expect(new Uint8Array(await kept!.arrayBuffer())).toEqual(first);
    expect(await objects(t.id)).not.toContain(`${t.id}/new/${attached}.thumbnail`);
  });

  it("lets a guest send their upload's thumbnail with their key", async () => {
    const created = await api<CreateTicketResponse>("POST", `/api/v1/${t.id}/tickets`, {
      body: { ...billingTicket, guest: { name: "Gina", email: "gina@example.net" } },
    });
    const key = created.body.accessKey;
    const uploaded = await upload(t.id, "shot.png", ORIGINAL, { key });
    const id = uploaded.body.upload.id;
    expect((await putThumbnail(t.id, id, webp(96, 72), { key })).status).toBe(201);
    expect((await putThumbnail(t.id, await up(), webp(96, 72), { key })).status).toBe(404);
  });

  it("clears its record when storing its bytes fails, so the upload can be given one again", async () => {
    const id = await up();
    const failing = {
      ...env,
      FILES: Object.assign(Object.create(env.FILES), {
        put: async () => {
          throw new Error("R2 is down");
        },
      }),
    } as typeof env;
    const tenant = (await readTenant(env.DB, t.id))!;
    const thumbnail = webp(96, 72);
    const body = () => new Blob([thumbnail]).stream();
    const refused = await receiveThumbnail(failing, tenant, principal(t.id, "alice"), {
      id,
      length: String(thumbnail.length),
      body: body(),
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("unavailable");
    expect((await row(id))?.thumb_type).toBeNull();
    expect(await objects(t.id)).not.toContain(`${t.id}/new/${id}.thumbnail`);
    expect((await putThumbnail(t.id, id, thumbnail, { token: alice })).status).toBe(201);
  });

  it("goes with its upload when the expiry sweep deletes it", async () => {
    const id = await up();
    expect((await putThumbnail(t.id, id, webp(96, 72), { token: alice })).status).toBe(201);
    expect(await objects(t.id)).toContain(`${t.id}/new/${id}.thumbnail`);
    await env.DB.prepare("UPDATE attachments SET created_at = created_at - ?2 WHERE id = ?1")
      .bind(id, UPLOAD_TTL_MS + 60_000)
      .run();
    await sweepExpiredUploads(env, Date.now());
    expect(await objects(t.id)).not.toContain(`${t.id}/new/${id}`);
    expect(await objects(t.id)).not.toContain(`${t.id}/new/${id}.thumbnail`);
  });
});
