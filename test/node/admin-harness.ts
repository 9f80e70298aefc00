/**
 * The console's admin screens (<edgedesk-console-settings>, <edgedesk-canned-replies>) on a page of
 * their own, against the shared demo Worker: each test gets fresh tenants (a provider and a reseller
 * under it) so that nothing it saves reaches another test file, and a page on the demo's origin
 * that mounts the elements standalone with a token the test signs.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { build } from "vite";
import { DEMO_ADMIN_SECRET } from "../../demo/constants";
import { ROOT } from "../../scripts/lib/dev-server";
import { signEmbedToken } from "../../worker/auth/token";

/** Builds the two admin elements as standalone modules (the console bundles them as its own chunks). */
export async function buildAdminElements(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "edgedesk-admin-"));
  await build({
    root: ROOT,
    configFile: false,
    publicDir: false,
    logLevel: "warn",
    resolve: { conditions: ["module", "browser", "production"] },
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      minify: false,
      reportCompressedSize: false,
      lib: {
        entry: { settings: "widget/console/settings.ts", "canned-replies": "widget/console/canned-replies.ts" },
        formats: ["es"],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: { output: { chunkFileNames: "chunks/[name]-[hash].js" } },
    },
  });
  return outDir;
}

export interface TestDesk {
  provider: string;
  reseller: string;
  key: { kid: string; secret: string };
  resellerKey: { kid: string; secret: string };
}

async function admin(demoUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${demoUrl}/api/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${DEMO_ADMIN_SECRET}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A provider and a reseller under it, each with its own embed secret, allowing the demo's origin. */
export async function createDesk(demoUrl: string, name: string): Promise<TestDesk> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const provider = `${name}-p-${suffix}`;
  const reseller = `${name}-r-${suffix}`;
  const origins = [demoUrl];
  await admin(demoUrl, "PUT", `/tenants/${provider}`, {
    name: "Test Provider",
    config: { allowedOrigins: origins, branding: { productName: "Provider Desk", accentColor: "#1f6feb" } },
  });
  await admin(demoUrl, "PUT", `/tenants/${reseller}`, {
    name: "Test Reseller",
    parentId: provider,
    config: { allowedOrigins: origins, branding: { productName: "Reseller Desk", accentColor: "#c2410c" } },
  });
  const key = { kid: `p-${suffix}`, secret: `provider-secret-${suffix}-0123456789abcdef0123456789` };
  const resellerKey = { kid: `r-${suffix}`, secret: `reseller-secret-${suffix}-0123456789abcdef0123456789` };
  await admin(demoUrl, "POST", `/tenants/${provider}/secrets`, key);
  await admin(demoUrl, "POST", `/tenants/${reseller}/secrets`, resellerKey);
  return { provider, reseller, key, resellerKey };
}

/** An embed token for a person of `tenant` (signed with `key`). */
export function tokenFor(
  tenant: string,
  key: { kid: string; secret: string },
  who: { sub: string; role: "customer" | "agent" | "admin"; name?: string },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signEmbedToken(
    {
      iss: tenant,
      aud: "edgedesk",
      sub: who.sub,
      email: `${who.sub}@example.com`,
      name: who.name ?? who.sub,
      role: who.role,
      services: [],
      iat: now,
      exp: now + 30 * 60,
    },
    key,
  );
}

export interface Mount {
  tag: "edgedesk-console-settings" | "edgedesk-canned-replies" | "edgedesk-tickets";
  tenant: string;
  token: string;
  lang?: string;
}

const TYPES: Record<string, string> = { ".js": "text/javascript" };

/**
 * Opens a page on the demo's origin with the elements mounted standalone, each with its token.
 * The admin elements come from `built` (buildAdminElements), the customer widget from the demo.
 */
export async function openAdminPage(
  browser: Browser,
  demoUrl: string,
  built: string,
  mounts: Mount[],
  options: { dark?: boolean; before?: (page: Page) => Promise<void> } = {},
): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    colorScheme: options.dark ? "dark" : "light",
    permissions: ["clipboard-read", "clipboard-write"],
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route(`${demoUrl}/harness/**`, async (route) => {
    const path = new URL(route.request().url()).pathname.replace(/^\/harness\//, "");
    if (path === "page") {
      const script = `
        const mounts = ${JSON.stringify(mounts)};
        await import("/harness/settings.js");
        await import("/harness/canned-replies.js");
        if (mounts.some((m) => m.tag === "edgedesk-tickets")) await import("/widget/edgedesk.js");
        for (const m of mounts) {
          const el = document.createElement(m.tag);
          el.setAttribute("api", location.origin);
          el.setAttribute("tenant", m.tenant);
          if (m.lang) el.setAttribute("lang", m.lang);
          el.tokenProvider = async () => m.token;
          document.querySelector("main").append(el);
        }`;
      return route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Admin screens</title></head>
          <body><main></main><script type="module">${script}</script></body></html>`,
      });
    }
    const body = await readFile(join(built, path)).catch(() => null);
    return body
      ? route.fulfill({ body, contentType: TYPES[extname(path)] ?? "application/octet-stream" })
      : route.fulfill({ status: 404, body: "not found" });
  });
  await options.before?.(page);
  await page.goto(`${demoUrl}/harness/page`);
  return { page, context, errors };
}
