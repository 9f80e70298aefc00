import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, inject, it } from "vitest";
import { DEMO_EMBED_KEYS, DEMO_STAFF, DEMO_WEBHOOK_SECRET } from "../../demo/constants";
import { DEMO_FILES } from "../../demo/files";
import { seedDemo } from "../../demo/seed";
import { ROOT, WRANGLER_ENV } from "../../scripts/lib/dev-server";
import { launchBrowser, screenshot, wordsSplitAcrossLines } from "./browser";

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
    // Its subject picks it out of the newest 50 (other tests mail Alice too).
    const outbox = async () => (await fetch(`${demoUrl}/demo/outbox?q=${encodeURIComponent("500 Error")}`)).text();
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
    // Searched for: other tests file tickets as Alice, so the seeded one may be past the first page.
    const res = await fetch(`${demoUrl}/api/v1/demo/tickets?q=${encodeURIComponent("500 Error")}`, {
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

describe("the demo's admin panel, for the agent console", () => {
  const demoUrl = inject("demoUrl");
  const tokenOf = async (user: string) => (await (await fetch(`${demoUrl}/demo/token/${user}`)).text()).trim();
  const api = async <T>(user: string, tenant: string, path: string): Promise<T> => {
    const res = await fetch(`${demoUrl}/api/v1/${tenant}${path}`, {
      headers: { authorization: `Bearer ${await tokenOf(user)}` },
    });
    expect(res.status, `${tenant}${path}`).toBe(200);
    return (await res.json()) as T;
  };
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it("lists the agents and an admin of each tenant in the panel's user picker", async () => {
    const page = await (await fetch(`${demoUrl}/demo/`)).text();
    for (const [key, label] of [
      ["bob", "Bob — Northwind Hosting support agent"],
      ["dana", "Dana — Bluebird Web support agent"],
      ["erin", "Erin — Northwind Hosting admin"],
      ["frank", "Frank — Bluebird Web admin"],
    ])
      expect(page).toContain(`<option value="${key}">${label}</option>`);
  });

  it("sends staff to the admin panel, which loads the console's script, and customers back", async () => {
    const staff = await fetch(`${demoUrl}/demo/?user=bob&lang=ru`, { redirect: "manual" });
    expect(staff.status).toBe(302);
    expect(staff.headers.get("location")).toBe("/demo/admin?user=bob&lang=ru");
    const admin = await fetch(`${demoUrl}/demo/admin?user=bob`);
    const html = await admin.text();
    expect(html).toContain('<script type="module" src="/widget/edgedesk-console.js"></script>');
    expect(html).not.toContain("/widget/edgedesk.js");
    expect(admin.headers.get("content-security-policy")).toContain("script-src 'self'");
    const customer = await fetch(`${demoUrl}/demo/admin?user=alice`, { redirect: "manual" });
    expect(customer.headers.get("location")).toBe("/demo/?user=alice");
  });

  it("mints tokens with the staff's roles", async () => {
    for (const u of DEMO_STAFF) {
      const claims = JSON.parse(Buffer.from((await tokenOf(u.key)).split(".")[1] ?? "", "base64url").toString()) as {
        iss: string;
        role: string;
        sub: string;
      };
      expect(claims).toMatchObject({ iss: u.tenant, role: u.role, sub: u.sub });
    }
  });

  it("choosing Bob in the picker shows the admin panel with <edgedesk-console> defined", async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on("pageerror", (error) => failed.push(error.message));
    const scripts: string[] = [];
    page.on("response", (res) => {
      if (res.url().includes("/widget/")) scripts.push(`${res.status()} ${new URL(res.url()).pathname}`);
    });
    await page.goto(`${demoUrl}/demo/?user=alice`);
    await page.selectOption("#user", "bob");
    await page.waitForURL(/\/demo\/admin\?user=bob$/);
    await page.waitForLoadState("networkidle");
    expect(scripts).toContain("200 /widget/edgedesk-console.js");
    expect(await page.evaluate(() => customElements.get("edgedesk-console") !== undefined)).toBe(true);
    const el = page.locator("edgedesk-console");
    expect(await el.count()).toBe(1);
    expect(await el.getAttribute("tenant")).toBe("demo");
    expect(await page.locator("#panel-name").textContent()).toBe("Northwind Hosting");
    // Beside the panel's sidebar the queue is narrower: its cells and buttons keep their words whole.
    await expect.poll(() => page.locator("edgedesk-console tbody tr").count()).toBeGreaterThan(0);
    expect(await wordsSplitAcrossLines(page, "edgedesk-console td:not(.subject), edgedesk-console button")).toEqual([]);
    await screenshot(page, "demo-admin-panel");
    // Switching to Dana stays in the admin panel, on the reseller's desk.
    await page.selectOption("#user", "dana");
    await expect.poll(() => el.getAttribute("tenant")).toBe("demo-reseller");
    expect(page.url()).toMatch(/\/demo\/admin\?user=dana$/);
    // And a customer goes back to the customer panel.
    await page.selectOption("#user", "carol");
    await page.waitForURL(/\/demo\/\?user=carol$/);
    await page.evaluate(() => customElements.whenDefined("edgedesk-tickets"));
    expect(failed).toEqual([]);
  });

  it("seeds the staff directory and canned replies once, with only the four placeholders", async () => {
    const again = await fetch(`${demoUrl}/demo/seed-staff`, { method: "POST" });
    expect(await again.json()).toEqual({ agents: 0, cannedReplies: 0 });
    const { agents } = await api<{ agents: { id: string; name: string; role: string }[] }>("bob", "demo", "/agents");
    expect(agents.map((a) => a.name).sort()).toEqual(expect.arrayContaining(["Bob Lindqvist", "Erin Castillo"]));
    expect(agents.find((a) => a.name === "Erin Castillo")?.role).toBe("admin");
    for (const [user, tenant] of [
      ["bob", "demo"],
      ["dana", "demo-reseller"],
    ] as const) {
      const { cannedReplies } = await api<{ cannedReplies: { title: string; body: string }[] }>(
        user,
        tenant,
        "/canned-replies",
      );
      expect(cannedReplies.length).toBeGreaterThanOrEqual(3);
      const placeholders = new Set(
        cannedReplies.flatMap((r) => [...r.body.matchAll(/\{\{([^}]*)\}\}/g)].map((m) => m[1])),
      );
      expect([...placeholders].sort()).toEqual(["agent.name", "customer.name", "tenant.name", "ticket.number"]);
    }
  });

  it("gives the console something to do: unassigned emergencies, Bob's tickets, one closing soon, a secret", async () => {
    const { counts } = await api<{ counts: Record<string, number> }>("bob", "demo", "/queue/counts");
    expect(counts.mine).toBeGreaterThanOrEqual(3);
    expect(counts.closing_soon).toBeGreaterThanOrEqual(1);
    const { tickets } = await api<{ tickets: { subject: string; priority: string; assignee: string | null }[] }>(
      "bob",
      "demo",
      "/queue?view=unassigned&limit=100",
    );
    const emergencies = tickets.filter((t) => t.priority === "urgent" || t.priority === "high");
    expect(emergencies.map((t) => t.subject)).toEqual(
      expect.arrayContaining(["Mail queue stuck on vps7", "Checkout on example.com times out (504)"]),
    );
    const soon = await api<{ tickets: { subject: string }[] }>("bob", "demo", "/queue?view=closing_soon");
    expect(soon.tickets.map((t) => t.subject)).toContain("Enable HTTP/2 for example.com");
    const mine = await api<{ tickets: { subject: string; hasSensitive: boolean }[] }>(
      "bob",
      "demo",
      "/queue?view=mine",
    );
    expect(mine.tickets.find((t) => t.subject.startsWith("Move my WordPress site"))?.hasSensitive).toBe(true);
    // Dana's ticket, ready to escalate to Northwind; Northwind's queue does not list it.
    const reseller = await api<{ tickets: { subject: string }[] }>("dana", "demo-reseller", "/queue?view=mine");
    expect(reseller.tickets.map((t) => t.subject)).toContain("Mail to Gmail addresses bounces");
    const all = await api<{ tickets: { subject: string }[] }>("bob", "demo", "/queue?view=all&limit=100");
    expect(all.tickets.map((t) => t.subject)).not.toContain("Mail to Gmail addresses bounces");
  });
});
