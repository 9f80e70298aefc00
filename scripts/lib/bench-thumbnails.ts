/**
 * What a thread with six image attachments costs to open: six 1–2 MB images attached from the
 * widget in Chromium (three on a new ticket, three on a reply: five files per message), then the
 * thread opened in a fresh browser context (nothing cached), summing the bytes of every image
 * response. Used by test/node/attachments-thumbnails.test.ts (which holds it to 150 KB) and by
 * scripts/bench.ts; on its own, after `npm run build`:
 *   npx tsx -e 'import("./scripts/lib/bench-thumbnails.ts").then(async m => m.printThumbnailBench(await m.benchThumbnails()))'
 */
import type { Browser, Page } from "playwright-core";
import { withSeededDemo } from "./bench-demo";

export interface ThumbnailBench {
  /** The six files as picked: name and bytes. */
  originals: { name: string; size: number }[];
  /** Bytes of each thumbnail body the widget sent (PUT /uploads/{id}/thumbnail). */
  sent: number[];
  /** Every image response of the fresh thread: path, body bytes, Content-Type. */
  images: { path: string; bytes: number; type: string }[];
  /** Every request of the fresh thread under /attachments/. */
  attachmentRequests: string[];
}

/**
 * Drops `count` images made in the page on the picker: a gradient with shapes and grain (so that
 * they do not compress to nothing), alternately a PNG screenshot (1280×800) and a JPEG photo
 * (2400×1600), each 1–2 MB. Returns their names and sizes.
 */
export function dropImages(page: Page, prefix: string, count: number): Promise<{ name: string; size: number }[]> {
  return page.locator("edgedesk-tickets .dropzone").evaluate(
    async (zone, { prefix, count }) => {
      const data = new DataTransfer();
      for (let i = 0; i < count; i++) {
        const png = i % 2 === 0;
        const [width, height] = png ? [1280, 800] : [2400, 1600];
        const canvas = new OffscreenCanvas(width, height);
        const context = canvas.getContext("2d");
        if (!context) throw new Error("no 2d context");
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
          for (const c of [0, 1, 2]) pixels.data[p + c] = (pixels.data[p + c] ?? 0) + grain;
        }
        context.putImageData(pixels, 0, 0);
        const blob = await canvas.convertToBlob(png ? { type: "image/png" } : { type: "image/jpeg", quality: 0.92 });
        data.items.add(new File([blob], `${prefix}-${i + 1}.${png ? "png" : "jpg"}`, { type: blob.type }));
      }
      for (const type of ["dragenter", "dragover", "drop"])
        zone.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
        );
      return Array.from(data.files, (f) => ({ name: f.name, size: f.size }));
    },
    { prefix, count },
  );
}

/** Waits until every named file in the picker has finished uploading (its thumbnail sent too). */
async function uploaded(page: Page, names: string[]): Promise<void> {
  for (const name of names)
    await page.locator("edgedesk-tickets li.upload.done").filter({ hasText: name }).waitFor({ timeout: 30_000 });
}

async function panel(browser: Browser, demoUrl: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${demoUrl}/demo/?user=alice`);
  await page.waitForSelector("edgedesk-tickets .hours");
  return page;
}

/** Files the six-image ticket as Alice on the demo at `demoUrl`, then opens it fresh and counts. */
export async function sixImageThread(browser: Browser, demoUrl: string): Promise<ThumbnailBench> {
  const subject = `Six screenshots of the error ${Date.now()}`;
  const page = await panel(browser, demoUrl);
  const sent: number[] = [];
  page.on("request", (req) => {
    if (req.method() === "PUT" && /\/uploads\/[^/]+\/thumbnail$/.test(new URL(req.url()).pathname))
      sent.push(req.postDataBuffer()?.length ?? 0);
  });
  await page.getByRole("button", { name: "New ticket" }).click();
  await page.getByLabel("Department").selectOption("billing");
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill("The payment page fails; six screenshots attached.");
  const first = await dropImages(page, "form", 3);
  await uploaded(
    page,
    first.map((f) => f.name),
  );
  await page.getByRole("button", { name: "Send ticket" }).click();
  await page.getByRole("button", { name: "View ticket" }).click();
  await page.getByLabel("Your reply").fill("Three more, from the second attempt.");
  const second = await dropImages(page, "reply", 3);
  await uploaded(
    page,
    second.map((f) => f.name),
  );
  await page.getByRole("button", { name: "Send reply" }).click();
  await page.getByText("Three more, from the second attempt.").waitFor();
  await page.context().close();

  const fresh = await panel(browser, demoUrl);
  const images: ThumbnailBench["images"] = [];
  const attachmentRequests: string[] = [];
  const reading: Promise<void>[] = [];
  fresh.on("request", (req) => {
    const path = new URL(req.url()).pathname;
    if (path.includes("/attachments/")) attachmentRequests.push(path);
  });
  fresh.on("response", (res) => {
    if (res.request().resourceType() !== "image") return;
    const path = new URL(res.url()).pathname;
    const type = res.headers()["content-type"] ?? "";
    reading.push(res.body().then((body) => void images.push({ path, bytes: body.length, type })));
  });
  await fresh.getByRole("button", { name: new RegExp(subject) }).click();
  const thumbs = fresh.locator("edgedesk-tickets .files img");
  await thumbs.nth(5).waitFor();
  for (let tries = 0; tries < 300; tries++) {
    if (await thumbs.evaluateAll((all: HTMLImageElement[]) => all.every((i) => i.complete && i.naturalWidth > 0)))
      break;
    await fresh.waitForTimeout(100);
  }
  await Promise.all(reading);
  await fresh.context().close();
  return { originals: [...first, ...second], sent, images, attachmentRequests };
}

export function benchThumbnails(): Promise<ThumbnailBench> {
  return withSeededDemo(sixImageThread);
}

export function printThumbnailBench(r: ThumbnailBench): void {
  const total = (sizes: number[]) => sizes.reduce((n, s) => n + s, 0).toLocaleString("en");
  console.log(
    `\nThumbnails: a thread with six image attachments (${total(r.originals.map((f) => f.size))} B of originals), opened cold in Chromium:`,
  );
  console.log(
    `  image bytes fetched ${total(r.images.map((i) => i.bytes))} B in ${r.images.length} responses (budget 153,600); originals requested: ${r.attachmentRequests.filter((p) => !p.endsWith("/thumbnail")).length}`,
  );
}
