import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../demo/seed";
import { startDemoServer } from "../../scripts/lib/demo-server";
import { applySchema, ROOT, type DevServer, WRANGLER_ENV } from "../../scripts/lib/dev-server";

const run = promisify(execFile);

/** The same steps as `npm start`, on a scratch state directory and port. */
describe("the demo, as npm start brings it up", () => {
  let server: DevServer;
  let state: string;

  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "edgedesk-demo-"));
    await applySchema(state);
    server = await startDemoServer({ port: 18000 + (process.pid % 1000), persistTo: state, quiet: true });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(state, { recursive: true, force: true });
  });

  it("seeds both tenants with tickets in every status, once", async () => {
    expect(await seedDemo(server.url)).toEqual({ seeded: true });
    expect(await seedDemo(server.url)).toEqual({ seeded: false });
    const token = (await run("npx", ["tsx", "scripts/token.ts", "--tenant", "demo", "--sub", "agent-7", "--email", "bob@northwind.example", "--name", "Bob", "--role", "agent"], { cwd: ROOT, env: WRANGLER_ENV })).stdout.trim();
    const res = await fetch(`${server.url}/api/v1/demo/tickets?limit=100`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { tickets: { status: string }[] };
    expect(new Set(body.tickets.map((t) => t.status))).toEqual(new Set(["open", "in_progress", "answered", "on_hold", "closed"]));
    const reseller = await fetch(`${server.url}/api/v1/demo-reseller/config`);
    expect(((await reseller.json()) as { branding: { productName: string } }).branding.productName).toBe("Bluebird Help Desk");
  });

  it("paged the on-call pager for last weekend's urgent ticket, and shows it in the alert log", async () => {
    const log = await (await fetch(`${server.url}/demo/alerts`)).text();
    expect(log).toContain("All sites on vps7 down");
    expect(log).toMatch(/accepted/);
  });

  it("serves the control-panel page and the API reference", async () => {
    const panel = await fetch(`${server.url}/demo/`);
    expect(panel.status).toBe(200);
    expect(await panel.text()).toContain("Northwind Hosting");
    const docs = await fetch(`${server.url}/api/v1/docs`);
    expect(docs.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("prints only a token from the token CLI, and it opens the customer's own tickets", async () => {
    const { stdout } = await run(
      "npx",
      ["tsx", "scripts/token.ts", "--tenant", "demo", "--sub", "cust-1001", "--email", "alice@example.com", "--name", "Alice", "--role", "customer", "--services", "svc-web-1=Business Web Hosting"],
      { cwd: ROOT, env: WRANGLER_ENV },
    );
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const res = await fetch(`${server.url}/api/v1/demo/tickets`, { headers: { authorization: `Bearer ${stdout.trim()}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tickets: { subject: string }[] };
    expect(body.tickets.map((t) => t.subject)).toContain("500 Error on example.com");
  });

  it("refuses a token CLI call with missing claims, naming the option", async () => {
    const failed = await run("npx", ["tsx", "scripts/token.ts", "--tenant", "demo", "--email", "not-an-email"], { cwd: ROOT, env: WRANGLER_ENV }).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failed && failed.code).toBe(2);
    expect("stderr" in failed && failed.stderr).toContain("--email");
  });

  it("lets the admin CLI read a tenant without printing its secrets", async () => {
    const { stdout } = await run("npx", ["tsx", "scripts/admin.ts", "get", "demo", "--url", server.url], { cwd: ROOT, env: WRANGLER_ENV });
    const tenant = JSON.parse(stdout) as { tenant: { name: string; secrets: { kid: string }[] } };
    expect(tenant.tenant.name).toBe("Northwind Hosting");
    expect(tenant.tenant.secrets.map((s) => s.kid)).toContain("demo-1");
    expect(stdout).not.toContain("local-demo-embed-secret");
  });
});
