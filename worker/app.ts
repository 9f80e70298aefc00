import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import type { AppEnv } from "./context";
import { ApiError, type FieldError, fromHttpException, problemResponse } from "./errors";
import { d1CountsHeader } from "./middleware/d1-counts";
import { d1Session } from "./middleware/d1-session";
import { pageHeaders } from "./middleware/page-headers";
import { tenantContext } from "./middleware/tenant";
import { TenantSplitRouter } from "./router";
import { admin } from "./routes/admin";
import { agents } from "./routes/agents";
import { alerts } from "./routes/alerts";
import { attachments } from "./routes/attachments";
import { audit } from "./routes/audit";
import { cannedReplies } from "./routes/canned-replies";
import { config } from "./routes/config";
import { showDocs } from "./routes/docs";
import { escalation } from "./routes/escalation";
import { messages, replies } from "./routes/messages";
import { people, tenantExports } from "./routes/people";
import { presence } from "./routes/presence";
import { queue } from "./routes/queue";
import { settings } from "./routes/settings";
import { settingsWebhooks } from "./routes/settings-webhooks";
import { statusNotice } from "./routes/status-notice";
import { tickets } from "./routes/tickets";
import { uploads } from "./routes/uploads";
import { webhooks } from "./routes/webhooks";

/** Zod's issues as our field errors: one `{path, message}` per problem, unknown keys by name. */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: "is not a field you can set" }));
    }
    return [{ path: base || "(body)", message: issue.message }];
  });
}

const OPENAPI_INFO = {
  openapi: "3.1.0",
  info: {
    title: "Edgedesk API",
    version: "1.0.0",
    description:
      "Support tickets for web-hosting providers. Errors are application/problem+json (RFC 9457) with a stable `code` and, for field errors, `errors: [{path, message}]`.",
  },
};

/** How the document's operations name their credentials (`security` in routes/). */
function registerSecuritySchemes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "embedToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "HS256 token signed by the host panel with the tenant's embed secret (iss = tenant, aud = edgedesk).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "guestKey", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "`Key <accessKey>`: a guest's key, opening one ticket.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "adminSecret", {
    type: "http",
    scheme: "bearer",
    description: "The provider's ADMIN_SECRET.",
  });
}

export function createApp(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    // RegExpRouter for every route, tenant paths and the rest apart (router.ts): not SmartRouter's fallback to TrieRouter.
    router: new TenantSplitRouter(),
    // Every validation failure, in any part of any route, becomes the same 400 problem.
    defaultHook: (result) => {
      if (!result.success) {
        const errors = fieldErrors(result.error);
        throw new ApiError("validation_failed", errors.map((e) => `${e.path}: ${e.message}`).join("; "), errors);
      }
    },
  });

  // Only with DEBUG_D1_COUNTS (the bench): each answer names its D1 round trips.
  app.use(d1CountsHeader());
  // Every HTML page (docs, alert acknowledgement, the demo's): CSP, no framing, no referrer.
  app.use("*", pageHeaders());
  app.use("/api/*", async function apiHeaders(c, next) {
    await next();
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "private, no-store");
  });
  // One D1 session per API request: reads from the nearest replica, never older than the client's bookmark.
  app.use("/api/*", d1Session());
  // Every path under /api/v1/{tenant}/ loads its tenant and answers CORS for the tenant's origins.
  app.use("/api/v1/:tenant/*", tenantContext());

  // The URL map. A route that takes JSON limits its body itself (middleware/body-limit.ts).
  app.route("/api/v1/:tenant/config", config);
  app.route("/api/v1/:tenant/tickets", tickets);
  app.route("/api/v1/:tenant/tickets", escalation);
  app.route("/api/v1/:tenant/tickets/:id/messages", replies);
  app.route("/api/v1/:tenant/tickets/:id/presence", presence);
  app.route("/api/v1/:tenant/messages", messages);
  app.route("/api/v1/:tenant/uploads", uploads);
  app.route("/api/v1/:tenant/attachments", attachments);
  app.route("/api/v1/:tenant/alerts", alerts);
  app.route("/api/v1/:tenant/audit", audit);
  app.route("/api/v1/:tenant/canned-replies", cannedReplies);
  app.route("/api/v1/:tenant/settings/webhooks", settingsWebhooks);
  app.route("/api/v1/:tenant/settings", settings);
  app.route("/api/v1/:tenant/status-notice", statusNotice);
  app.route("/api/v1/:tenant/agents", agents);
  app.route("/api/v1/:tenant/queue", queue);
  app.route("/api/v1/:tenant/people", people);
  app.route("/api/v1/:tenant/export", tenantExports);
  app.route("/api/v1/admin", admin);
  app.route("/api/v1/admin/tenants", webhooks);
  app.doc31("/api/v1/openapi.json", OPENAPI_INFO);
  app.get("/api/v1/docs", showDocs);
  // Liveness for load balancers and uptime checks; touches no storage.
  app.get("/healthz", (c) => c.text("ok"));

  registerSecuritySchemes(app);

  app.notFound(() => problemResponse(new ApiError("not_found", "There is nothing at this address.")));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return problemResponse(fromHttpException(error));
    console.error(`${c.req.method} ${new URL(c.req.url).pathname} failed`, error);
    return problemResponse(new ApiError("internal", "Something went wrong on our side."));
  });
  return app;
}
