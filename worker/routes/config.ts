import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { holidayOn, isOpen, nextOpening } from "../hours/calendar";
import { calendarOf, expectationsAt } from "../hours/expectations";
import { PublicConfig } from "../schemas/config";
import { TenantPath } from "../schemas/params";
import { problems } from "../schemas/problem";
import { PRIORITY_MEANINGS } from "../schemas/tenant";
import { type ExpectedResponse, PRIORITIES, type Priority } from "../schemas/ticket";
import { noticeChangesIn, publicNotice } from "../settings/status-notice";

const GUEST = { requesterKind: "guest", serviceId: null } as const;

/** `/api/v1/{tenant}/config`: the public form definition. */
export const config = new OpenAPIHono<AppEnv>();

config.openapi(
  createRoute({
    method: "get",
    path: "/",
    operationId: "getConfig",
    tags: ["Form"],
    summary: "The public form definition",
    description:
      "Everything the widget needs to draw the new-ticket form: branding, departments and their fields, priorities with their meanings, guidance, attachment rules, whether guests may file, support hours now, and the status notice while it shows. No secrets; no credentials needed. Cached by browsers for up to 60 s, never past the moment the notice appears or ends.",
    request: { params: TenantPath },
    responses: {
      200: { description: "The form definition.", content: { "application/json": { schema: PublicConfig } } },
      404: problems[404],
    },
  }),
  (c) => {
    const tenant = c.get("tenant");
    const cfg = tenant.config;
    const now = new Date();
    const calendar = calendarOf(tenant);
    const expectations = expectationsAt(tenant, now.getTime());
    const openNow = isOpen(calendar, now);
    const opening = openNow ? null : nextOpening(calendar, now);
    // The notice appears and goes at its own times: a browser's copy never outlives the next of them.
    const changesIn = noticeChangesIn(tenant.statusNotice, now.getTime());
    const maxAge = changesIn === null ? 60 : Math.min(60, Math.floor(changesIn / 1000));
    c.header("Cache-Control", `public, max-age=${maxAge}`);
    return c.json(
      {
        tenant: { id: tenant.id, name: tenant.name },
        branding: {
          productName: cfg.branding.productName ?? tenant.name,
          logoUrl: cfg.branding.logoUrl ?? null,
          accentColor: cfg.branding.accentColor,
        },
        departments: cfg.departments,
        priorities: PRIORITIES.map((id) => ({ id, meaning: PRIORITY_MEANINGS[id] })),
        defaultPriority: "medium" as const,
        guidance: cfg.guidance,
        attachments: cfg.attachments,
        guestsAllowed: cfg.guestsAllowed,
        supportHours: {
          timeZone: cfg.timeZone,
          weekly: cfg.hours,
          openNow,
          holidayToday: holidayOn(calendar, now)?.name ?? null,
          nextOpening: opening ? opening.toISOString() : null,
        },
        emergencyPriorities: cfg.emergency.priorities,
        guestsCanPage: cfg.emergency.guestsCanPage,
        expectedResponse: Object.fromEntries(PRIORITIES.map((p) => [p, expectations(p)])) as Record<
          Priority,
          z.infer<typeof ExpectedResponse>
        >,
        guestExpectedResponse: Object.fromEntries(PRIORITIES.map((p) => [p, expectations(p, GUEST)])) as Record<
          Priority,
          z.infer<typeof ExpectedResponse>
        >,
        statusNotice: publicNotice(tenant.statusNotice, now.getTime()),
      },
      200,
    );
  },
);
