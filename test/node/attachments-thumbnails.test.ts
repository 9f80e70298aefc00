/**
 * Thumbnails are small (issue 10's bar): six real-sized photos and screenshots attached from the
 * widget, then the thread opened in a fresh browser context, counting every image byte the page
 * fetched (scripts/lib/bench-thumbnails.ts, which `npm run bench` runs too).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sixImageThread } from "../../scripts/lib/bench-thumbnails";
import { launchBrowser } from "./browser";

/** A six-image thread's thumbnails together. */
const BUDGET_BYTES = 150 * 1024;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("thumbnails in the thread", () => {
  it("shows six 1–2 MB images from thumbnails of a few KB: ≤ 150 KB for all, and no original fetched", async () => {
    const r = await sixImageThread(browser, inject("demoUrl"));
    for (const f of r.originals) expect(f.size).toBeGreaterThan(1024 * 1024);
    // The widget made and sent one thumbnail per image, each well under the server's 16 KB.
    expect(r.sent).toHaveLength(6);
    for (const bytes of r.sent) expect(bytes).toBeLessThan(16 * 1024);

    const total = r.images.reduce((n, i) => n + i.bytes, 0);
    console.log(
      `six-image thread: ${r.images.length} thumbnails, ${total} B (originals ${r.originals.reduce((n, f) => n + f.size, 0)} B)`,
    );
    expect(r.images).toHaveLength(6);
    expect(r.images.every((i) => i.path.endsWith("/thumbnail") && i.type === "image/webp")).toBe(true);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    // Not one original was requested: every request under /attachments/ was for a thumbnail.
    expect(r.attachmentRequests).toHaveLength(6);
    expect(r.attachmentRequests.filter((path) => !path.endsWith("/thumbnail"))).toEqual([]);
  });
});
