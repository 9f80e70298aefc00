import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { viaFetch } from "../alerts/delivery";
import { fromBase64url } from "../auth/encoding";
import { requireAdmin } from "../auth/staff";
import type { AppEnv } from "../context";
import { jsonBodyLimit } from "../middleware/body-limit";
import { NewSecretResponse } from "../schemas/admin";
import { TenantPath } from "../schemas/params";
import { problem, problems } from "../schemas/problem";
import {
  OpeningsBody,
  OpeningsResponse,
  SettingsPatch,
  SettingsResponse,
  TestPageBody,
  TestPageResponse,
} from "../schemas/settings";
import { addSecret, nextOpenings, patchSettings, readSettings, revokeSecret } from "../settings/service";
import { sendTestPage } from "../settings/test-page";
import { jsonBody, jsonResponse, withEmbedToken } from "./openapi";

/**
 * `/api/v1/{tenant}/settings`: the tenant's own admins (`role: admin` tokens of this tenant) set
 * up their desk. Tokens verify per tenant, so a reseller's admin reaches the reseller's settings
 * only, never its provider's. Changes take effect at once in the isolate that made them and
 * everywhere within TENANT_CACHE_MS (30 s).
 */
export const settings = new OpenAPIHono<AppEnv>();

settings.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "getSettings",
    tags: ["Console"],
    summary: "The desk's own settings (admin)",
    description:
      "The tenant's config as the admin API validates it, without `emergency.webhookSecret`; the embed secrets by key id only. `providerControlled` names the parts only the provider sets.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      200: jsonResponse(SettingsResponse, "The settings."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    await requireAdmin(c);
    return c.json({ settings: await readSettings(c.env, c.get("tenant").id) }, 200);
  },
);

settings.openapi(
  createRoute({
    method: "patch",
    path: "/",
    operationId: "changeSettings",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Change the desk's settings (admin)",
    description:
      "Each part given (`branding`, `hours`, `departments`, …) replaces that part whole, checked by the same schemas as the provider's admin API; parts left out stay. `limits`, `attachments` and `parentId` are the provider's and refused. An audit row `settings.update` names the parts that changed. A change made meanwhile by someone else is a 409.",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(SettingsPatch) },
    responses: {
      200: jsonResponse(SettingsResponse, "The settings after the change."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
      409: problems[409],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const raw: unknown = await c.req.json();
    const given = new Set(raw !== null && typeof raw === "object" ? Object.keys(raw) : []);
    const view = await patchSettings(c.env, c.get("tenant").id, who, c.req.valid("json"), given, Date.now());
    return c.json({ settings: view }, 200);
  },
);

settings.openapi(
  createRoute({
    method: "post",
    path: "/secrets",
    operationId: "addSettingsSecret",
    tags: ["Console"],
    summary: "Add an embed secret (admin)",
    description:
      "A new signing secret under a new key id, shown this once. Rotate: add, switch the panel to it, then revoke the old key.",
    security: withEmbedToken,
    request: { params: TenantPath },
    responses: {
      201: jsonResponse(NewSecretResponse, "The new key id and secret; store the secret in the panel now."),
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    c.header("Cache-Control", "no-store");
    return c.json(await addSecret(c.env, c.get("tenant").id, who, Date.now()), 201);
  },
);

settings.openapi(
  createRoute({
    method: "delete",
    path: "/secrets/{kid}",
    operationId: "revokeSettingsSecret",
    tags: ["Console"],
    summary: "Revoke an embed secret (admin)",
    description:
      "Tokens signed with it are refused from now on (everywhere within 30 s). Not the key that signed this request, nor the last active key: 409.",
    security: withEmbedToken,
    request: {
      params: TenantPath.extend({
        kid: z
          .string()
          .max(64)
          .openapi({ param: { name: "kid", in: "path" } }),
      }),
    },
    responses: {
      204: { description: "Revoked." },
      401: problems[401],
      403: problems[403],
      404: problems[404],
      409: problem("The key signed this request, or it is the last active key."),
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    await revokeSecret(c.env, c.get("tenant").id, who, c.req.valid("param").kid, signingKid(c), Date.now());
    return c.body(null, 204);
  },
);

settings.openapi(
  createRoute({
    method: "post",
    path: "/openings",
    operationId: "previewOpenings",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Preview the next openings of draft hours (admin)",
    description:
      "The next `count` spans when support is open, for draft `timeZone`, `hours` and `holidays` (parts left out: the saved ones). Saves nothing.",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(OpeningsBody) },
    responses: {
      200: jsonResponse(OpeningsResponse, "The next openings."),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    await requireAdmin(c);
    const saved = c.get("tenant").config;
    const draft = c.req.valid("json");
    const calendar = {
      timeZone: draft.timeZone ?? saved.timeZone,
      hours: draft.hours ?? saved.hours,
      holidays: draft.holidays ?? saved.holidays,
    };
    return c.json({ openings: nextOpenings(calendar, Date.now(), draft.count) }, 200);
  },
);

settings.openapi(
  createRoute({
    method: "post",
    path: "/test-page",
    operationId: "sendTestPage",
    middleware: jsonBodyLimit(),
    tags: ["Console"],
    summary: "Send a test page to one alert contact (admin)",
    description:
      "A webhook contact gets a signed POST (`type: edgedesk.test`) now, and the answer says how it replied; an email contact gets a test mail with the mailer's next sweep (within a minute). Uses the saved contacts (the cached tenant: up to 30 s behind a change made on another isolate).",
    security: withEmbedToken,
    request: { params: TenantPath, body: jsonBody(TestPageBody) },
    responses: {
      200: jsonResponse(
        TestPageResponse,
        "What happened; `delivered: false` with `error` when the contact did not take it.",
      ),
      400: problems[400],
      401: problems[401],
      403: problems[403],
      404: problems[404],
    },
  }),
  async (c) => {
    const who = await requireAdmin(c);
    const { contact } = c.req.valid("json");
    const result = await sendTestPage(c.env, c.get("tenant"), who, contact, Date.now(), viaFetch);
    return c.json(result, 200);
  },
);

/** The key id in the header of this request's (verified) token: the key that signed it. */
function signingKid(c: Context<AppEnv>): string | null {
  const token = /^Bearer +(\S+)$/i.exec(c.req.header("authorization")?.trim() ?? "")?.[1];
  const head = token?.split(".")[0];
  const bytes = head === undefined ? null : fromBase64url(head);
  if (!bytes) return null;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return parsed !== null && typeof parsed === "object" && "kid" in parsed && typeof parsed.kid === "string"
      ? parsed.kid
      : null;
  } catch {
    return null;
  }
}
