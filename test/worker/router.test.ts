import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { demoApp } from "../../demo/worker";
import { createApp } from "../../worker/app";
import worker from "../../worker/index";
import { sideOfRoute, TenantSplitRouter } from "../../worker/router";

/** A request path that a route's pattern matches: each `:param` and `*` filled in. */
const concrete = (path: string) =>
  path
    .replace(/:[^/]+/g, "p1")
    .replace(/\*$/, "any")
    .replace(/^$/, "/");

describe("the router (worker/router.ts)", () => {
  for (const [name, app] of [
    ["the Worker", createApp()],
    ["the demo (what npm start and the bench run)", demoApp],
  ] as const) {
    it(`matches every route of ${name} with RegExpRouter, on the side its path belongs to`, () => {
      const router = app.router;
      expect(router).toBeInstanceOf(TenantSplitRouter);
      if (!(router instanceof TenantSplitRouter)) return;
      expect([router.tenant.name, router.site.name]).toEqual(["RegExpRouter", "RegExpRouter"]);
      for (const route of app.routes) {
        const path = concrete(route.path);
        // Building RegExpRouter's matchers throws on the first match when two routes cannot share it.
        const [handlers] = router.match(route.method === "ALL" ? "GET" : route.method, path);
        const found = handlers.some(([entry]) => Array.isArray(entry) && entry[1] === route);
        expect(found, `${route.method} ${route.path} (as ${path})`).toBe(true);
      }
      expect(router.sideOf("/api/v1/acme/tickets/t1")).toBe("tenant");
      expect(router.sideOf("/api/v1/admin/tenants/acme")).toBe("site");
      expect(router.sideOf("/api/v1/openapi.json")).toBe("site");
      expect(router.sideOf("/healthz")).toBe("site");
    });
  }

  it("puts middleware for everything on both sides and each route on one", () => {
    expect(["*", "/*", "/api/*", "/api/:version/x"].map(sideOfRoute)).toEqual(["both", "both", "both", "both"]);
    expect(["/api/v1/:tenant/*", "/api/v1/:tenant/tickets/:id"].map(sideOfRoute)).toEqual(["tenant", "tenant"]);
    expect(["/", "/healthz", "/api/v1/admin/*", "/api/v1/docs", "/api/v1/", "/demo/"].map(sideOfRoute)).toEqual(
      Array(6).fill("site"),
    );
  });

  it("answers both sides through the Worker: a tenant's route, the admin API, an unknown tenant, the health check", async () => {
    const call = async (path: string) =>
      (await worker.fetch(new Request(`https://desk.example.com${path}`), env, createExecutionContext())).status;
    expect(await call("/healthz")).toBe(200);
    expect(await call("/api/v1/admin/tenants/nobody")).toBe(401);
    expect(await call("/api/v1/no-such-tenant/config")).toBe(404);
    expect(await call("/api/v1/openapi.json")).toBe(200);
  });
});
