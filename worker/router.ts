/**
 * The app's router: Hono's RegExpRouter (one precompiled regular expression per method, the
 * fastest it has), for every route.
 *
 * RegExpRouter refuses a static segment beside a parameter at the same place, and the API has
 * exactly that at its third segment: `/api/v1/{tenant}/…` beside `/api/v1/admin/…`,
 * `/api/v1/docs` and `/api/v1/openapi.json`. Left to itself, Hono's default SmartRouter tries
 * RegExpRouter, is refused, and falls back to TrieRouter for good (about 7% of a request's CPU in
 * a profile under load, docs/benchmarks.md). So this router keeps two RegExpRouters:
 *
 *   - "tenant": the routes whose third segment is a parameter (`/api/v1/:tenant/…`);
 *   - "site": every other route (`/healthz`, `/api/v1/admin/…`, the docs, the demo's pages).
 *
 * A route that could match both (`*`, `/api/*`: middleware for everything) goes into both, in
 * the order it was added, so each side runs its handlers in the app's order. A request goes to
 * "site" when its third segment is one the site's routes name (`admin`, `docs`, …), else to
 * "tenant" when it is under `/api/v1/`; so a new route is placed by its path alone, and a
 * tenant named like one of the API's own words cannot exist (RESERVED_TENANT_IDS).
 * test/worker/router.test.ts proves that both sides build and that each route is matched by
 * the side it belongs to.
 */
import type { Result, Router } from "hono/router";
import { RegExpRouter } from "hono/router/reg-exp-router";

const PREFIX = ["api", "v1"] as const;

/** Where a route's path may match: the tenant side, the site side, or both (a wildcard before the tenant). */
export function sideOfRoute(path: string): "tenant" | "site" | "both" {
  const segments = path.replace(/^\//, "").split("/");
  for (const [i, segment] of segments.entries()) {
    if (segment === "*") return "both";
    // A path that ends before the tenant's segment (`/`, `/api/v1/`) matches no tenant path.
    if (segment === "") return "site";
    if (i === PREFIX.length) return segment.startsWith(":") ? "tenant" : "site";
    if (segment !== PREFIX[i]) return segment.startsWith(":") ? "both" : "site";
  }
  return "site";
}

export class TenantSplitRouter<T> implements Router<T> {
  readonly name = "TenantSplitRouter(RegExpRouter × 2)";
  readonly tenant = new RegExpRouter<T>();
  readonly site = new RegExpRouter<T>();
  /** The third segments the site's routes name (`admin`, `docs`, `openapi.json`): requests there are the site's. */
  readonly #siteSegments = new Set<string>();

  add(method: string, path: string, handler: T): void {
    const side = sideOfRoute(path);
    if (side !== "site") this.tenant.add(method, path, handler);
    if (side !== "tenant") this.site.add(method, path, handler);
    const third = path.split("/")[PREFIX.length + 1];
    if (side === "site" && path.startsWith("/api/v1/") && third) this.#siteSegments.add(third);
  }

  match(method: string, path: string): Result<T> {
    return this.sideOf(path) === "tenant" ? this.tenant.match(method, path) : this.site.match(method, path);
  }

  /** Which side answers a request for `path`. */
  sideOf(path: string): "tenant" | "site" {
    if (!path.startsWith("/api/v1/")) return "site";
    const third = path.slice("/api/v1/".length).split("/", 1)[0] ?? "";
    return third !== "" && !this.#siteSegments.has(third) ? "tenant" : "site";
  }
}
