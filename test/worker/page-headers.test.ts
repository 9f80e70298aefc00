import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import demoWorker, { demoApp } from "../../demo/worker";
import { ackSignature } from "../../worker/alerts/signature";
import { createApp } from "../../worker/app";
import { serverSecret } from "../../worker/auth/seal";
import type { TenantResponse } from "../../worker/schemas/admin";
import { ADMIN, api, newTenant, technicalTicket } from "./helpers";

// Every HTML page the Worker (and the demo Worker) serves carries the page headers of
// worker/middleware/page-headers.ts. The routes are read from the apps themselves, so a new
// route that answers HTML is walked too.

function expectPageHeaders(headers: Headers): void {
  const csp = headers.get("content-security-policy") ?? "";
  expect(csp).toMatch(/^default-src 'none';/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("referrer-policy")).toBe("no-referrer");
  expect(headers.get("x-content-type-options")).toBe("nosniff");
}

interface Route {
  method: string;
  path: string;
}

/** The app's own route list: every GET and POST (the methods a browser sends for a page or a form). */
const routesOf = (routes: Route[]): Route[] => {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (!["GET", "POST"].includes(r.method) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

describe("HTML pages", async () => {
  // A tenant that is always closed with an on-call contact: an urgent ticket raises an alert.
  const t = await newTenant({
    config: {
      hours: {},
      emergency: {
        priorities: ["urgent"],
        ackWindowMinutes: 60,
        contacts: [{ channel: "email", name: "On call", email: "oncall@host.example" }],
      },
    },
  });
  await api("POST", `/api/v1/${t.id}/tickets`, {
    token: await t.token(),
    body: { ...technicalTicket, priority: "urgent" },
  });
  const alert = await env.DB.prepare("SELECT id FROM alerts WHERE tenant_id = ?1").bind(t.id).first<{ id: string }>();
  const sig = await ackSignature(serverSecret(env), t.id, alert?.id ?? "none");
  const fill = (path: string) =>
    path
      .replace(":tenant", t.id)
      .replace(":id", alert?.id ?? "none")
      .replace(":user", "alice")
      .replace(/\/ack$/, `/ack?sig=${encodeURIComponent(sig)}`);

  it("an alert was raised to acknowledge", () => {
    expect(alert).not.toBeNull();
  });

  const workerRoutes = routesOf(createApp().routes);
  it.each(workerRoutes)("the Worker's $method $path, if it answers HTML, sends the page headers", async (route) => {
    const res = await api(route.method, fill(route.path));
    expect(res.status).toBeLessThan(500);
    if (/^text\/html/.test(res.headers.get("content-type") ?? "")) expectPageHeaders(res.headers);
  });

  it("found the Worker's HTML pages: the API docs and both sides of the acknowledgement page", async () => {
    const html: string[] = [];
    for (const route of workerRoutes) {
      const res = await api(route.method, fill(route.path));
      if (/^text\/html/.test(res.headers.get("content-type") ?? "")) html.push(`${route.method} ${route.path}`);
    }
    expect(html.sort()).toEqual([
      "GET /api/v1/:tenant/alerts/:id/ack",
      "GET /api/v1/docs",
      "POST /api/v1/:tenant/alerts/:id/ack",
    ]);
  });

  const demoEnv = { ...env, DEMO: "true" };
  const demo = (method: string, path: string) =>
    demoWorker.fetch(new Request(`http://127.0.0.1:8787${path}`, { method }), demoEnv, createExecutionContext());

  it("found the demo's HTML pages, each with the page headers", async () => {
    const html: string[] = [];
    for (const route of routesOf(demoApp.routes)) {
      const res = await demo(route.method, fill(route.path));
      if (!/^text\/html/.test(res.headers.get("content-type") ?? "")) continue;
      expectPageHeaders(res.headers);
      html.push(`${route.method} ${route.path}`);
    }
    expect(html).toEqual(
      expect.arrayContaining(["GET /demo/", "GET /demo/hostile", "GET /demo/alerts", "GET /demo/outbox"]),
    );
  });

  it("allows the docs page its own inline script and style by hash, and fetches only from this origin", async () => {
    const res = await api("GET", "/api/v1/docs");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("form-action 'none'");
  });

  it("lets the acknowledgement page post its form to this origin only", async () => {
    const res = await api("GET", fill("/api/v1/:tenant/alerts/:id/ack"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self'");
  });
});

describe("admin reads", () => {
  it("never return the alert webhook's signing secret; the PUT that sets it shows it once", async () => {
    const webhookSecret = "whsec-0123456789abcdef0123456789abcdef";
    const id = `secret-${crypto.randomUUID().slice(0, 8)}`;
    const put = await api<TenantResponse>("PUT", `/api/v1/admin/tenants/${id}`, {
      headers: ADMIN,
      body: {
        name: "Northwind",
        config: {
          emergency: {
            contacts: [{ channel: "webhook", name: "Pager", url: "https://pager.example.com/hook" }],
            webhookSecret,
          },
        },
      },
    });
    expect(put.status).toBe(201);
    expect(put.body.tenant.config.emergency.webhookSecret).toBe(webhookSecret);
    const read = await api<TenantResponse>("GET", `/api/v1/admin/tenants/${id}`, { headers: ADMIN });
    expect(read.status).toBe(200);
    expect(read.body.tenant.config.emergency.contacts).toHaveLength(1);
    expect(JSON.stringify(read.body)).not.toContain(webhookSecret);
    expect(read.body.tenant.config.emergency).not.toHaveProperty("webhookSecret");
  });
});
