/**
 * Thumbnails are small: six real-sized photos and screenshots attached from the widget, then the
 * thread opened in a fresh browser, counting every image byte the page fetched. The figure goes
 * to docs/benchmarks.md.
 */
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enAttachments } from "../../widget/locales/en-attachments";
import { launchBrowser, openPanel } from "./browser";

/** The bar of issue 10: a six-image thread's thumbnails together. */
const BUDGET_BYTES = 150 * 1024;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Drops `count` images made in the page on the picker of `scope`: a gradient with shapes and
 * grain (so that they do not compress to nothing), alternately PNG (a screenshot) and JPEG (a
 * photo), each 1–2 MB. Returns their names and sizes.
 */
async function dropImages(
  page: Page,
  scope: string,
  prefix: string,
  count: number,
): Promise<{ name: string; size: number }[]> {
  return page.locator(`${scope} .dropzone`).evaluate(
    async (zone, { prefix, count }) => {
      const data = new DataTransfer();
      for (let i = 0; i < count; i++) {
        const png = i % 2 === 0;
        const [width, height] = png ? [1280, 800] : [2400, 1600];
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d")!;
        const gradient = context.createLinearGradient(0, 0, width, height);
        gradient.addColorStop(0, `hsl(${i * 60} 70% 60%)`);
        gradient.addColorStop(1, `hsl(${i * 60 + 120} 60% 30%)`);
        context.fillStyle = gradient;
        context.fillRect(0, 0, width, height);
        context.fillStyle = "rgba(255,255,255,.8)";
        for (let s = 0; s < 12; s++) context.fillRect((s * 97) % width, (s * 53) % height, 120 + s * 10, 60);
        const pixels = context.getImageData(0, 0, width, height);
        let seed = i + 1;
        for (let p = 0; p < pixels.data.length; p += 4) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          const grain = (seed % (png ? 9 : 24)) - (png ? 4 : 12);
          pixels.data[p] = (pixels.data[p] ?? 0) + grain;
          pixels.data[p + 1] = (pixels.data[p + 1] ?? 0) + grain;
          pixels.data[p + 2] = (pixels.data[p + 2] ?? 0) + grain;
        }
        context.putImageData(pixels, 0, 0);
        const blob = await canvas.convertToBlob(png ? { type: "image/png" } : { type: "image/jpeg", quality: 0.92 });
        data.items.add(new File([blob], `${prefix}-${i + 1}.${png ? "png" : "jpg"}`, { type: blob.type }));
      }
      for (const type of ["dragenter", "dragover", "drop"])
        zone.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
        );
      return [...data.files].map((f) => ({ name: f.name, size: f.size }));
    },
    { prefix, count },
  );
}

async function allUploaded(page: Page, names: string[]): Promise<void> {
  for (const name of names)
    await expect
      .poll(
        () => page.locator("edgedesk-tickets li.upload").filter({ hasText: name }).locator(".status").textContent(),
        {
          timeout: 20_000,
        },
      )
      .toBe(enAttachments.uploaded);
}

describe("thumbnails in the thread", () => {
  it("shows six 1–2 MB images from thumbnails of a few KB: ≤ 150 KB for all, and no original fetched", async () => {
    const subject = `Six screenshots of the error ${Date.now()}`;
    const { page, context } = await openPanel(browser);
    const thumbnailPuts: number[] = [];
    page.on("request", (req) => {
      if (req.method() === "PUT" && /\/uploads\/[^/]+\/thumbnail$/.test(new URL(req.url()).pathname))
        thumbnailPuts.push(req.postDataBuffer()?.length ?? 0);
    });

    // Three on the new ticket, three on a reply: the tenant takes five files per message.
    await page.getByRole("button", { name: "New ticket" }).click();
    await page.getByLabel("Department").selectOption("billing");
    await page.getByLabel("Subject").fill(subject);
    await page.getByLabel("Message").fill("The payment page fails; six screenshots attached.");
    const first = await dropImages(page, "edgedesk-tickets", "form", 3);
    await allUploaded(
      page,
      first.map((f) => f.name),
    );
    await page.getByRole("button", { name: "Send ticket" }).click();
    await page.getByRole("button", { name: "View ticket" }).click();
    await page.waitForSelector("edgedesk-tickets #reply");
    await page.getByLabel("Your reply").fill("Three more, from the second attempt.");
    const second = await dropImages(page, "edgedesk-tickets", "reply", 3);
    await allUploaded(
      page,
      second.map((f) => f.name),
    );
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByText("Three more, from the second attempt.").isVisible()).toBe(true);
    const originals = [...first, ...second];
    for (const f of originals) expect(f.size).toBeGreaterThan(1024 * 1024);
    expect(thumbnailPuts).toHaveLength(6);
    await context.close();

    // A fresh browser (nothing cached) opens the thread.
    const fresh = await openPanel(browser);
    const images: { url: string; bytes: number; type: string }[] = [];
    const attachmentUrls: string[] = [];
    const reading: Promise<void>[] = [];
    fresh.page.on("response", (res: Response) => {
      const url = new URL(res.url());
      if (url.pathname.includes("/attachments/")) attachmentUrls.push(url.pathname);
      if (res.request().resourceType() === "image")
        reading.push(
          res.body().then((body) => {
            images.push({ url: url.pathname, bytes: body.length, type: res.headers()["content-type"] ?? "" });
          }),
        );
    });
    await fresh.page.getByRole("button", { name: new RegExp(subject) }).click();
    const thumbs = fresh.page.locator("edgedesk-tickets .files img.thumb");
    await expect.poll(() => thumbs.count()).toBe(6);
    await expect
      .poll(() =>
        thumbs.evaluateAll((all: HTMLImageElement[]) => all.every((i) => i.complete && i.naturalWidth === 96)),
      )
      .toBe(true);
    await Promise.all(reading);

    const total = images.reduce((n, i) => n + i.bytes, 0);
    const originalBytes = originals.reduce((n, f) => n + f.size, 0);
    console.log(
      `six-image thread: thumbnails ${images.length} × avg ${Math.round(total / images.length)} B = ${total} B (originals ${originalBytes} B)`,
    );
    expect(images).toHaveLength(6);
    expect(images.every((i) => i.url.endsWith("/thumbnail") && i.type === "image/webp")).toBe(true);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
    // Not one original was requested: every attachment request was for a thumbnail.
    expect(attachmentUrls.filter((u) => !u.endsWith("/thumbnail"))).toEqual([]);
    // The originals are still downloads, behind each thumbnail's link.
    const links = fresh.page.locator("edgedesk-tickets .files a.file");
    expect(
      await links.evaluateAll((all: HTMLAnchorElement[]) =>
        all.map((a) => new URL(a.href).pathname.endsWith("/thumbnail")),
      ),
    ).toEqual(new Array(6).fill(false));
    await fresh.context.close();
  });
});
