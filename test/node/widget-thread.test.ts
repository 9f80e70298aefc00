import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Rolldown } from "vite";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";
// The widget's events, typed on GlobalEventHandlersEventMap, for the code these tests run in the page.
import type {} from "../../widget/events";
import { launchBrowser, runAxe, screenshot } from "./browser";

const demoUrl = inject("demoUrl");
let browser: Browser;
/** The thread view and the session, bundled on their own: nothing of <edgedesk-tickets> comes along. */
let bundle: string;

beforeAll(async () => {
  const output = (await build({
    configFile: false,
    logLevel: "silent",
    resolve: { conditions: ["module", "browser", "production"] },
    plugins: [
      {
        name: "standalone-thread-entry",
        // Vite makes the lib entry a path under the root.
        resolveId: (id) => (id.endsWith("/standalone-thread") ? "\0standalone-thread" : null),
        load: (id) =>
          id === "\0standalone-thread"
            ? `import { Session } from ${JSON.stringify(join(ROOT, "widget/session.ts"))};
               import ${JSON.stringify(join(ROOT, "widget/elements/ticket-thread.ts"))};
               window.Session = Session;`
            : null,
      },
    ],
    build: {
      write: false,
      minify: false,
      target: "es2022",
      lib: { entry: "standalone-thread", formats: ["es"], fileName: () => "standalone-thread.js" },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  })) as Rolldown.RolldownOutput[];
  bundle = output[0]!.output[0].code;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Files a ticket as Alice through the API; returns its id. */
async function fileTicket(subject: string, message: string): Promise<string> {
  const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
  const res = await fetch(`${demoUrl}/api/v1/demo/tickets`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ department: "billing", subject, message, priority: "low", fields: {} }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: { id: string } }).ticket.id;
}

/** A page of the demo's origin with only the bundle on it, and a thread for `ticketId` mounted from a session. */
async function standalonePage(ticketId: string): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${demoUrl}/standalone/**`, (route) =>
    route.request().url().endsWith(".js")
      ? route.fulfill({ contentType: "text/javascript", body: bundle })
      : route.fulfill({
          contentType: "text/html",
          body: `<!doctype html><html lang="en"><title>Thread</title><main></main><script type="module" src="thread.js"></script>`,
        }),
  );
  await page.goto(`${demoUrl}/standalone/`);
  await page.waitForFunction(() => "Session" in window);
  await page.evaluate(async (ticketId) => {
    type SessionLike = {
      api: string;
      tenant: string;
      tokenProvider: () => Promise<string>;
      start(locale: string): Promise<void>;
    };
    const { Session } = window as unknown as {
      Session: new (host: { requestUpdate(): void } & EventTarget) => SessionLike;
    };
    // Whatever shows the thread owns the session; here, a bare event target in place of an element.
    const host = Object.assign(new EventTarget(), { requestUpdate() {} });
    const session = new Session(host);
    session.api = location.origin;
    session.tenant = "demo";
    session.tokenProvider = async () => (await fetch("/demo/token/alice")).text();
    await session.start("en");
    const thread = Object.assign(document.createElement("edgedesk-ticket-thread"), { session });
    thread.setAttribute("ticket-id", ticketId);
    document.querySelector("main")!.appendChild(thread);
  }, ticketId);
  return page;
}

describe("the thread view on its own", () => {
  it("shows a ticket from a session and its id alone, takes a reply and says so to the page", async () => {
    const subject = `Invoice sent twice ${Date.now()}`;
    const page = await standalonePage(await fileTicket(subject, "Both invoices for November were charged."));
    expect(await page.evaluate(() => customElements.get("edgedesk-tickets"))).toBeUndefined();
    await expect
      .poll(() => page.getByRole("heading", { name: new RegExp(`#\\d+ · ${subject}`) }).isVisible())
      .toBe(true);
    expect(await page.getByRole("article", { name: "Alice Moreno" }).textContent()).toContain(
      "Both invoices for November were charged.",
    );
    // The picker comes with the thread, with the tenant's rules from the session's config.
    await expect.poll(() => page.locator("edgedesk-ticket-thread .attachments .hint").textContent()).toMatch(/10 MB/);

    await page.evaluate(() => {
      const w = window as unknown as { replies: string[] };
      w.replies = [];
      document.addEventListener("edgedesk-reply-sent", (e) => w.replies.push(e.detail.ticketId));
    });
    const reply = `Still fine here, sent from the thread alone ${Date.now()}`;
    await page.getByLabel("Your reply").fill(reply);
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByText(reply).isVisible()).toBe(true);
    expect(await page.getByRole("article", { name: "Alice Moreno" }).count()).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { replies: string[] }).replies)).toHaveLength(1);
    expect(await runAxe(page, "edgedesk-ticket-thread")).toEqual([]);
    await screenshot(page, "thread-standalone");
    await page.close();
  });
});
