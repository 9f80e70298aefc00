import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS, DEMO_WEBHOOK_SECRET } from "../../demo/constants";
import { DEMO_FILES } from "../../demo/files";
import { seedDemo } from "../../demo/seed";
import { ROOT, WRANGLER_ENV } from "../../scripts/lib/dev-server";

const run = promisify(execFile);

/** The demo as `npm start` brings it up (the global setup's, on a scratch state directory and port). */
describe("the demo, as npm start brings it up", () => {
  const demoUrl = inject("demoUrl");

  it("seeds both tenants with tickets in every status, once", async () => {
    // The global setup seeded this server; seeding again changes nothing.
    expect(await seedDemo(demoUrl)).toEqual({ seeded: false });
    const token = (
      await run(
        "npx",
        [
          "tsx",
          "scripts/token.ts",
          "--tenant",
          "demo",
          "--sub",
          "agent-7",
          "--email",
          "bob@northwind.example",
          "--name",
          "Bob",
          "--role",
          "agent",
        ],
        { cwd: ROOT, env: WRANGLER_ENV },
      )
    ).stdout.trim();
    const res = await fetch(`${demoUrl}/api/v1/demo/tickets?limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { tickets: { status: string }[] };
    expect(new Set(body.tickets.map((t) => t.status))).toEqual(
      new Set(["open", "in_progress", "answered", "on_hold", "closed"]),
    );
    const reseller = await fetch(`${demoUrl}/api/v1/demo-reseller/config`);
    expect(((await reseller.json()) as { branding: { productName: string } }).branding.productName).toBe(
      "Bluebird Help Desk",
    );
  });

  it("paged the on-call pager for last weekend's urgent ticket, and shows it in the alert log", async () => {
    const log = await (await fetch(`${demoUrl}/demo/alerts`)).text();
    expect(log).toContain("All sites on vps7 down");
    expect(log).toMatch(/accepted/);
  });

  it("seeds attachments of every accepted type, each downloadable as the bytes that were uploaded", async () => {
    const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const { tickets } = (await (await fetch(`${demoUrl}/api/v1/demo/tickets?limit=100`, auth)).json()) as {
      tickets: { id: string }[];
    };
    const files: { name: string; type: string; url: string }[] = [];
    for (const t of tickets) {
      const { ticket } = (await (await fetch(`${demoUrl}/api/v1/demo/tickets/${t.id}`, auth)).json()) as {
        ticket: { messages: { attachments: typeof files }[] };
      };
      files.push(...ticket.messages.flatMap((m) => m.attachments));
    }
    expect(new Set(files.map((f) => f.type))).toEqual(
      new Set(["image/png", "image/jpeg", "application/pdf", "application/zip", "text/plain; charset=utf-8"]),
    );
    for (const [key, demo] of Object.entries(DEMO_FILES)) {
      const seeded = files.find((f) => f.name === demo.name);
      expect(seeded, key).toBeDefined();
      const res = await fetch(seeded!.url);
      expect(res.status).toBe(200);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(demo.bytes);
    }
  });

  it("shows the mail that would have been sent, as text, and a reply by mail lands on its ticket", async () => {
    // Mail leaves through the delivery queue, a moment after the seed's last request.
    const outbox = async () => (await fetch(`${demoUrl}/demo/outbox`)).text();
    await expect.poll(outbox, { timeout: 10_000 }).toMatch(/aria-label="Re: \[#\d+\] 500 Error on example.com"/);
    const page = await outbox();
    const mail =
      /<article class="mail" aria-label="Re: \[#(\d+)\] 500 Error on example.com">[\s\S]*?action="\/demo\/outbox\/([\w-]+)\/reply"/.exec(
        page,
      );
    expect(mail).not.toBeNull();
    expect(page).toContain("Never send passwords by email");
    expect(page).not.toContain("<p>The caching plugin"); // the HTML part is never rendered
    const res = await fetch(`${demoUrl}/demo/outbox/${mail![2]}/reply`, {
      method: "POST",
      body: new URLSearchParams({ text: "It works again, thank you." }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(decodeURIComponent(res.headers.get("location") ?? "")).toContain("Your reply was added to the ticket");
    const token = await (await fetch(`${demoUrl}/demo/token/alice`)).text();
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const { tickets } = (await (
      await fetch(`${demoUrl}/api/v1/demo/tickets?q=${encodeURIComponent("500 Error")}`, auth)
    ).json()) as { tickets: { id: string; number: number }[] };
    const ticket = tickets.find((t) => String(t.number) === mail![1])!;
    const { ticket: detail } = (await (await fetch(`${demoUrl}/api/v1/demo/tickets/${ticket.id}`, auth)).json()) as {
      ticket: { status: string; messages: { body: string; source: string }[] };
    };
    expect(detail.messages.at(-1)).toMatchObject({ body: "It works again, thank you.", source: "email" });
    expect(detail.status).toBe("open");
  });

  it("serves the control-panel page and the API reference", async () => {
    const panel = await fetch(`${demoUrl}/demo/`);
    expect(panel.status).toBe(200);
    expect(await panel.text()).toContain("Northwind Hosting");
    const docs = await fetch(`${demoUrl}/api/v1/docs`);
    expect(docs.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("serves the built widget as a static asset that any panel origin may load, and caches it", async () => {
    const entry = await fetch(`${demoUrl}/widget/edgedesk.js`, { headers: { origin: "https://panel.example" } });
    expect(entry.status).toBe(200);
    expect(entry.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(entry.headers.get("access-control-allow-origin")).toBe("*");
    expect(entry.headers.get("cache-control")).toBe("public, max-age=300, stale-while-revalidate=86400");
    // Views loaded on demand come from content-hashed chunks, cached for good.
    const chunk = /["'`]\.\/(chunks\/[\w-]+\.js)["'`]/.exec(await entry.text())?.[1];
    expect(chunk).toBeDefined();
    const res = await fetch(`${demoUrl}/widget/${chunk}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect((await fetch(`${demoUrl}/_headers`)).status).toBe(404);
  });

  it("prints only a token from the token CLI, and it opens the customer's own tickets", async () => {
    const { stdout } = await run(
      "npx",
      [
        "tsx",
        "scripts/token.ts",
        "--tenant",
        "demo",
        "--sub",
        "cust-1001",
        "--email",
        "alice@example.com",
        "--name",
        "Alice",
        "--role",
        "customer",
        "--services",
        "svc-web-1=Business Web Hosting",
      ],
      { cwd: ROOT, env: WRANGLER_ENV },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const res = await fetch(`${demoUrl}/api/v1/demo/tickets`, {
      headers: { authorization: `Bearer ${stdout.trim()}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tickets: { subject: string }[] };
    expect(body.tickets.map((t) => t.subject)).toContain("500 Error on example.com");
  });

  it("refuses a token CLI call with missing claims, naming the option", async () => {
    const failed = await run("npx", ["tsx", "scripts/token.ts", "--tenant", "demo", "--email", "not-an-email"], {
      cwd: ROOT,
      env: WRANGLER_ENV,
    }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed && failed.code).toBe(2);
    expect("stderr" in failed && failed.stderr).toContain("--email");
  });

  it("lets the admin CLI read a tenant without printing its secrets", async () => {
    const { stdout } = await run("npx", ["tsx", "scripts/admin.ts", "get", "demo", "--url", demoUrl], {
      cwd: ROOT,
      env: WRANGLER_ENV,
    });
    const tenant = JSON.parse(stdout) as { tenant: { name: string; secrets: { kid: string }[] } };
    expect(tenant.tenant.name).toBe("Northwind Hosting");
    expect(tenant.tenant.secrets.map((s) => s.kid)).toContain(DEMO_EMBED_KEYS.demo.kid);
    expect(stdout).not.toContain("local-demo-embed-secret");
    expect(stdout).not.toContain(DEMO_WEBHOOK_SECRET);
  });
});
