import { readFile } from "node:fs/promises";
import { crc32, deflateSync } from "node:zlib";
import type { Browser, BrowserContext, FileChooser, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { enAttachments } from "../../widget/locales/en-attachments";
import { launchBrowser, openPanel, runAxe, screenshot } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// ---- files with real content ------------------------------------------------------------------

/** A real PNG (a 96×64 gradient), so that the thumbnail has something to show. */
function png(width = 96, height = 64): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([31 + x, 111 + y, 235], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A PDF of about `bytes` (the server checks its `%PDF-` signature). */
function pdf(bytes: number): Buffer {
  const head = "%PDF-1.4\n% Edgedesk test document\n";
  const tail = "\n%%EOF\n";
  return Buffer.from(head + "%".repeat(Math.max(0, bytes - head.length - tail.length)) + tail, "latin1");
}

const PNG = png();
const PDF = pdf(1_572_864); // 1.5 MB
const LOG = Buffer.from("2026-11-23 09:10:01 [error] upstream timed out (110: Connection timed out)\n", "utf8");
const EXE = Buffer.concat([Buffer.from("MZ", "latin1"), Buffer.alloc(510)]);
const HTML_AS_JPG = Buffer.from("<!doctype html><script>alert(1)</script>", "utf8");
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2048)]);

type Payload = { name: string; mimeType: string; buffer: Buffer };
const file = (name: string, mimeType: string, buffer: Buffer): Payload => ({ name, mimeType, buffer });

// ---- the page -------------------------------------------------------------------------------

async function panel(
  options: { user?: string; lang?: string; dark?: boolean } = {},
): Promise<{ page: Page; context: BrowserContext; uploads: string[] }> {
  const { page, context } = await openPanel(browser, options);
  // The names the widget sent to POST /uploads, to tell client-side refusals from the server's.
  const uploads: string[] = [];
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (req.method() === "POST" && url.pathname.endsWith("/uploads")) uploads.push(url.searchParams.get("name") ?? "");
  });
  await recordAnnouncements(page);
  return { page, context, uploads };
}

/** Keeps everything the widget's live region says, in order (it is cleared between messages). */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { announced: string[] };
    w.announced = [];
    const region = document.querySelector("edgedesk-tickets")!.shadowRoot!.querySelector('[role="status"]')!;
    new MutationObserver(() => {
      const text = region.textContent?.trim();
      if (text) w.announced.push(text);
    }).observe(region, { childList: true, subtree: true, characterData: true });
  });
}

const announced = (page: Page) =>
  page.evaluate(() => (window as unknown as { announced: string[] }).announced.join("\n"));

async function fillBillingTicket(page: Page, subject: string): Promise<void> {
  await page.getByRole("button", { name: "New ticket" }).click();
  await page.getByLabel("Department").selectOption("billing");
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Message").fill("The invoice PDF and a screenshot of the payment page are attached.");
}

/** Drops files on the drop zone as a browser does: dragenter, dragover, drop, with a DataTransfer. */
async function dropFiles(page: Page, files: Payload[]): Promise<void> {
  await page.locator("edgedesk-tickets .dropzone").evaluate(
    (zone, files) => {
      const data = new DataTransfer();
      for (const f of files)
        data.items.add(
          new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }),
        );
      for (const type of ["dragenter", "dragover", "drop"])
        zone.dispatchEvent(
          new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
        );
    },
    files.map((f) => ({ name: f.name, mimeType: f.mimeType, base64: f.buffer.toString("base64") })),
  );
}

/** The picked file's row in the picker. */
const upload = (page: Page, name: string) => page.locator("edgedesk-tickets li.upload").filter({ hasText: name });

async function uploaded(page: Page, name: string): Promise<void> {
  await expect.poll(() => upload(page, name).locator(".status").textContent()).toBe(enAttachments.uploaded);
  const progress = page.getByRole("progressbar", { name: `Upload of ${name}` });
  expect(await progress.evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([100, 100]);
}

async function fileAndOpen(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Send ticket" }).click();
  await expect.poll(() => page.getByRole("heading", { name: /Ticket #\d+ received/ }).isVisible()).toBe(true);
  await page.getByRole("button", { name: "View ticket" }).click();
  await page.waitForSelector("edgedesk-tickets #reply");
}

/** The ticket as the API returns it to Alice, found by its subject. */
async function ticketBySubject(
  subject: string,
): Promise<{ messages: { body: string; attachments: { name: string; size: number }[] }[] }> {
  const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
  const headers = { authorization: `Bearer ${token}` };
  const list = await fetch(`${demoUrl}/api/v1/demo/tickets?${new URLSearchParams({ q: subject })}`, { headers });
  const { tickets } = (await list.json()) as { tickets: { id: string }[] };
  expect(tickets).toHaveLength(1);
  const res = await fetch(`${demoUrl}/api/v1/demo/tickets/${tickets[0]!.id}`, { headers });
  return ((await res.json()) as { ticket: Awaited<ReturnType<typeof ticketBySubject>> }).ticket;
}

// ---- the tests ------------------------------------------------------------------------------

describe("attaching files to a new ticket", () => {
  it("uploads a picked and a dropped file with progress, files them with the ticket, shows them in the thread and downloads them", async () => {
    const { page, context, uploads } = await panel();
    const subject = `Invoice with attachments ${Date.now()}`;
    await fillBillingTicket(page, subject);
    // The rules are stated before anything is picked.
    const rules = page.locator("edgedesk-tickets .attachments .hint");
    await expect.poll(() => rules.textContent()).toMatch(/\.jpg, \.jpeg, \.png, \.pdf, \.txt, \.log, \.zip.*10 MB.*5/s);

    await page.locator("edgedesk-tickets input[type=file]").setInputFiles([file("payment-page.png", "image/png", PNG)]);
    await dropFiles(page, [file("invoice-2026-11.pdf", "application/pdf", PDF)]);
    await uploaded(page, "payment-page.png");
    await uploaded(page, "invoice-2026-11.pdf");
    expect(await upload(page, "invoice-2026-11.pdf").locator(".size").textContent()).toBe("1.5 MB");
    // A local thumbnail for the picked image.
    await expect
      .poll(() =>
        upload(page, "payment-page.png")
          .locator("img")
          .evaluate((i: HTMLImageElement) => i.naturalWidth),
      )
      .toBe(96);
    // Each file's outcome is said in the live region.
    for (const name of ["payment-page.png", "invoice-2026-11.pdf"])
      await expect.poll(() => announced(page)).toContain(`${name} uploaded.`);
    expect(uploads.sort()).toEqual(["invoice-2026-11.pdf", "payment-page.png"]);
    expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
    await screenshot(page, "attachments-form");

    await fileAndOpen(page);
    const pdfLink = page.getByRole("link", { name: /invoice-2026-11\.pdf/ });
    const pngLink = page.getByRole("link", { name: /payment-page\.png/ });
    await expect.poll(() => pdfLink.textContent()).toContain("1.5 MB");
    expect(await pngLink.textContent()).toMatch(/\d+(\.\d)? kB|\d+ bytes/);
    // The image's thumbnail is the one the browser made of it (its centre square), not the original; the PDF shows its type instead.
    const thumbnail = pngLink.locator("img");
    await expect.poll(() => thumbnail.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(64);
    expect(await thumbnail.getAttribute("src")).toMatch(/\/thumbnail\?/);
    expect(await pdfLink.locator(".ext").textContent()).toBe("pdf");
    expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
    await screenshot(page, "attachments-thread");

    for (const [link, name, bytes] of [
      [pdfLink, "invoice-2026-11.pdf", PDF],
      [pngLink, "payment-page.png", PNG],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect((await readFile(await download.path())).equals(bytes)).toBe(true);
    }
    // Sent, the chips are gone from the form and from its draft.
    await page.getByRole("button", { name: "New ticket" }).click();
    await page.waitForSelector("edgedesk-tickets .dropzone");
    expect(await page.locator("edgedesk-tickets li.upload").count()).toBe(0);
    await context.close();
  });

  it("explains refused files in words and files the ticket with the others; a cancelled upload is left out (dark)", async () => {
    const { page, context, uploads } = await panel({ dark: true });
    const subject = `Refused and cancelled files ${Date.now()}`;
    await fillBillingTicket(page, subject);
    // big.zip's upload is held on its way, so that it can be cancelled.
    let held: Route | undefined;
    await page.route("**/api/v1/demo/uploads?name=big.zip*", (route) => {
      held = route;
    });
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([
        file("setup.exe", "application/x-msdownload", EXE),
        file("photo.jpg", "image/jpeg", HTML_AS_JPG),
        file("server.log", "text/plain", LOG),
        file("big.zip", "application/zip", ZIP),
      ]);

    // Refused in the browser: never uploaded.
    await expect
      .poll(() => upload(page, "setup.exe").locator(".error").textContent())
      .toBe("Files of this type can't be attached. Accepted: .jpg, .jpeg, .png, .pdf, .txt, .log, .zip.");
    // Refused by the server, which looked at the content: the reason is the server's, in words.
    await expect
      .poll(() => upload(page, "photo.jpg").locator(".error").textContent())
      .toMatch(/^Not accepted: .*not a JPEG image/);
    await uploaded(page, "server.log");
    expect(uploads).not.toContain("setup.exe");
    expect(uploads).toContain("photo.jpg");
    await expect.poll(() => announced(page)).toMatch(/photo\.jpg: Not accepted/);
    expect(await announced(page)).toMatch(/setup\.exe: Files of this type can't be attached/);
    // A refused file offers removal, not a retry that could only fail again.
    expect(await upload(page, "photo.jpg").getByRole("button").allTextContents()).toEqual(["Remove"]);

    // Sending while a file is still uploading is refused, and says why.
    await expect.poll(() => held !== undefined).toBe(true);
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect
      .poll(() => page.locator("edgedesk-tickets .attachments > .error").textContent())
      .toBe(enAttachments.waitForUploads);
    expect(await page.getByRole("heading", { name: /received/ }).count()).toBe(0);

    await page.getByRole("button", { name: "Cancel upload of big.zip" }).click();
    await expect.poll(() => upload(page, "big.zip").locator(".status").textContent()).toBe(enAttachments.cancelled);
    // Focus stays with the file: on its retry button.
    await expect
      .poll(() =>
        page.evaluate(() => {
          let focused = document.activeElement;
          while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
          return focused?.getAttribute("aria-label");
        }),
      )
      .toBe("Retry upload of big.zip");
    await expect.poll(() => announced(page)).toContain("Upload of big.zip cancelled.");
    expect(await page.locator("edgedesk-tickets .attachments > .error").count()).toBe(0);
    expect(await runAxe(page, "edgedesk-tickets")).toEqual([]);
    await screenshot(page, "attachments-refused-dark");

    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Ticket #\d+ received/ }).isVisible()).toBe(true);
    const ticket = await ticketBySubject(subject);
    expect(ticket.messages[0]!.attachments.map((a) => [a.name, a.size])).toEqual([["server.log", LOG.length]]);
    await page.unrouteAll({ behavior: "ignoreErrors" });
    await context.close();
  });

  it("keeps finished uploads in the draft across a reload", async () => {
    const { page, context } = await panel();
    const subject = `Draft with a file ${Date.now()}`;
    await fillBillingTicket(page, subject);
    await page.locator("edgedesk-tickets input[type=file]").setInputFiles([file("receipt.png", "image/png", PNG)]);
    await uploaded(page, "receipt.png");
    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await page.getByRole("button", { name: "New ticket" }).click();
    await uploaded(page, "receipt.png");
    expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Ticket #\d+ received/ }).isVisible()).toBe(true);
    expect((await ticketBySubject(subject)).messages[0]!.attachments.map((a) => a.name)).toEqual(["receipt.png"]);
    await context.close();
  });

  it("says so when a kept upload can no longer be attached, and files the ticket without it", async () => {
    const { page, context } = await panel();
    const subject = `Stale uploads ${Date.now()}`;
    await fillBillingTicket(page, subject);
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([file("first.png", "image/png", PNG), file("second.log", "text/plain", LOG)]);
    await uploaded(page, "first.png");
    await uploaded(page, "second.log");
    // Meanwhile the first went on a message from another tab, and the second is over a day old.
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.endsWith(":files"))!;
      const [first, second] = JSON.parse(localStorage.getItem(key)!) as { id: string; at: number }[];
      localStorage.setItem(
        key,
        JSON.stringify([
          { ...first, id: "attached-elsewhere" },
          { ...second, at: Date.now() - 25 * 3_600_000 },
        ]),
      );
    });
    await page.reload();
    await page.waitForSelector("edgedesk-tickets .hours");
    await recordAnnouncements(page);
    await page.getByRole("button", { name: "New ticket" }).click();
    await expect.poll(() => upload(page, "second.log").locator(".error").textContent()).toBe(enAttachments.stale);
    await uploaded(page, "first.png");
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => upload(page, "first.png").locator(".error").textContent()).toBe(enAttachments.stale);
    await expect.poll(() => announced(page)).toContain(`first.png: ${enAttachments.stale}`);
    expect(await page.getByRole("heading", { name: /received/ }).count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0);
    // Nothing else was lost: sending again files the ticket, without the files.
    await page.getByRole("button", { name: "Send ticket" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Ticket #\d+ received/ }).isVisible()).toBe(true);
    expect((await ticketBySubject(subject)).messages[0]!.attachments).toEqual([]);
    await context.close();
  });

  it("opens the file chooser from the keyboard, and offers a retry when an upload fails on the way", async () => {
    const { page, context } = await panel();
    // Subscribed well before the key press: turning on the interception of choosers takes a round trip.
    const choosers: FileChooser[] = [];
    page.on("filechooser", (chooser) => choosers.push(chooser));
    await fillBillingTicket(page, "Retry after a dropped connection");
    let failures = 0;
    await page.route("**/api/v1/demo/uploads?*", (route) =>
      failures++ === 0 ? route.abort("connectionreset") : route.continue(),
    );
    await page.getByRole("button", { name: "Choose files or drop them here" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => choosers.length).toBe(1);
    expect(choosers[0]!.isMultiple()).toBe(true);
    await choosers[0]!.setFiles([file("flaky.txt", "text/plain", LOG)]);
    await expect
      .poll(() => upload(page, "flaky.txt").locator(".error").textContent())
      .toBe(enAttachments.networkFailed);
    await page.getByRole("button", { name: "Retry upload of flaky.txt" }).click();
    await uploaded(page, "flaky.txt");
    expect(failures).toBe(2);
    await context.close();
  });

  it("asks tokenProvider again, once, when an upload's token is refused, and uploads", async () => {
    const { page, context } = await panel();
    await page.evaluate(() => {
      const el = document.querySelector("edgedesk-tickets") as HTMLElement & { tokenProvider: () => Promise<string> };
      const w = window as unknown as { tokenCalls: number };
      w.tokenCalls = 0;
      el.tokenProvider = async () => {
        w.tokenCalls++;
        return (await fetch("/demo/token/alice")).text();
      };
    });
    let refused = 0;
    await page.route("**/api/v1/demo/uploads?*", (route) => {
      if (refused++ > 0) return route.continue();
      return route.fulfill({
        status: 401,
        contentType: "application/problem+json",
        body: JSON.stringify({
          type: "about:blank",
          title: "Unauthorized",
          status: 401,
          code: "unauthorized",
          detail: "The token has expired.",
        }),
      });
    });
    await fillBillingTicket(page, "Token refresh during an upload");
    // The new provider started the session again (asked once for it); from here, the refusal's.
    await page.evaluate(() => {
      (window as unknown as { tokenCalls: number }).tokenCalls = 0;
    });
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([file("after-refresh.txt", "text/plain", LOG)]);
    await uploaded(page, "after-refresh.txt");
    expect(refused).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { tokenCalls: number }).tokenCalls)).toBe(1);
    await context.close();
  });
});

describe("attaching files to a reply", () => {
  it("uploads for the ticket, sends the reply with the file and lists it under the reply", async () => {
    const { page, context, uploads } = await panel();
    const subject = `Reply with a log ${Date.now()}`;
    await fillBillingTicket(page, subject);
    await fileAndOpen(page);
    await page.getByLabel("Your reply").fill("Here is the log from last night.");
    await page.locator("edgedesk-tickets input[type=file]").setInputFiles([file("nightly.log", "text/plain", LOG)]);
    await uploaded(page, "nightly.log");
    await page.getByRole("button", { name: "Send reply" }).click();
    const reply = page
      .locator("edgedesk-tickets article.message")
      .filter({ hasText: "Here is the log from last night." });
    await expect
      .poll(() => reply.getByRole("link", { name: /nightly\.log/ }).textContent())
      .toContain(`${LOG.length} bytes`);
    // The first message has no files; the chips of the picker are cleared.
    expect(await page.locator("edgedesk-tickets article.message").first().getByRole("link").count()).toBe(0);
    expect(await page.locator("edgedesk-tickets li.upload").count()).toBe(0);
    expect(uploads).toEqual(["nightly.log"]);
    const ticket = await ticketBySubject(subject);
    expect(ticket.messages.map((m) => m.attachments.map((a) => a.name))).toEqual([[], ["nightly.log"]]);
    await context.close();
  });

  it("hides the picker from a guest's first ticket, and lets the guest attach to a reply with the key", async () => {
    const { page, context } = await panel({ user: "guest" });
    expect(await page.locator("edgedesk-tickets .dropzone").count()).toBe(0);
    await expect
      .poll(() => page.getByText("You can attach files in a reply once the ticket is filed.").isVisible())
      .toBe(true);
    await page.getByLabel("Your name").fill("Gina Guest");
    await page.getByLabel("Your email").fill("gina@example.net");
    await page.getByLabel("Department").selectOption("billing");
    await page.getByLabel("Subject").fill("Payment page shows an error");
    await page.getByLabel("Message").fill("It says the card was declined, but the bank says otherwise.");
    await page.getByRole("button", { name: "Send ticket" }).click();
    await page.getByRole("button", { name: "View ticket" }).click();
    await page.getByLabel("Your reply").fill("The screenshot.");
    await page.locator("edgedesk-tickets input[type=file]").setInputFiles([file("declined.png", "image/png", PNG)]);
    await uploaded(page, "declined.png");
    await page.getByRole("button", { name: "Send reply" }).click();
    const link = page.getByRole("link", { name: /declined\.png/ });
    // The guest's browser made and sent the thumbnail (the 96×64 image's centre square) with its key.
    await expect
      .poll(() => link.locator("img").evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth))
      .toBe(64);
    await context.close();
  });
});

describe("in Russian", () => {
  it("says everything about attachments in Russian", async () => {
    const { page, context } = await panel({ lang: "ru" });
    await page.getByRole("button", { name: "Новое обращение" }).click();
    await page.waitForSelector("edgedesk-tickets .dropzone");
    await page
      .locator("edgedesk-tickets input[type=file]")
      .setInputFiles([file("setup.exe", "application/x-msdownload", EXE), file("журнал.log", "text/plain", LOG)]);
    await expect.poll(() => upload(page, "журнал.log").locator(".status").textContent()).toBe("Загружено");
    const text = await page.locator("edgedesk-tickets .attachments").innerText();
    const english = Object.values(enAttachments)
      .map((s) => s.replace(/\{\w+\}/g, "").trim())
      .filter((s) => s.length > 3);
    expect(english.filter((s) => text.includes(s))).toEqual([]);
    expect(text).toContain("Файлы такого типа приложить нельзя");
    expect(text).toContain("10 МБ");
    expect(await page.getByRole("button", { name: "Отменить загрузку журнал.log" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Убрать журнал.log" }).count()).toBe(1);
    await context.close();
  });
});
