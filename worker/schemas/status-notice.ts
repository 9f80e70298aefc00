import { z } from "@hono/zod-openapi";
import { singleLine } from "./text";

export const NOTICE_SEVERITIES = ["info", "maintenance", "incident"] as const;
export type NoticeSeverity = (typeof NOTICE_SEVERITIES)[number];

const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with an offset" })
  .nullable()
  .default(null);

/**
 * A notice as an admin or a status page sets it (`PUT …/status-notice`, the webhook's `notice`).
 * Times are ISO 8601 with an offset; either may be left out (shown from now, until cleared).
 */
export const StatusNoticeInput = z
  .object({
    text: singleLine(1, 300).openapi({
      description: "What customers read, as written (one line), e.g. “Mail delays on vps7 — no need to file a ticket”.",
    }),
    severity: z.enum(NOTICE_SEVERITIES).openapi({
      description:
        "`info` (a notice), `maintenance` (planned work: shown as “Planned maintenance”), `incident` (an outage: “Known issue”).",
    }),
    startsAt: instant.openapi({ description: "Shown from this time; null: from now." }),
    endsAt: instant.openapi({ description: "Shown until this time (then gone by itself); null: until cleared." }),
    affects: z
      .array(singleLine(1, 80))
      .max(20)
      .default([])
      .openapi({ description: "The services or hosts it is about, e.g. `vps7`, `mail`; shown beside the text." }),
  })
  .strict()
  .superRefine((n, ctx) => {
    if (n.startsAt && n.endsAt && Date.parse(n.endsAt) <= Date.parse(n.startsAt))
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt" });
  })
  .openapi("StatusNoticeInput");
export type StatusNoticeInput = z.infer<typeof StatusNoticeInput>;

/** The notice as the widget gets it in `/config`, only while it is showing. */
export const PublicStatusNotice = z
  .object({
    text: z.string(),
    severity: z.enum(NOTICE_SEVERITIES),
    startsAt: z.string().nullable().openapi({ format: "date-time" }),
    endsAt: z.string().nullable().openapi({ format: "date-time" }),
    affects: z.array(z.string()),
  })
  .openapi("PublicStatusNotice", {
    description: "The tenant's maintenance or incident notice, while now is between its start and end.",
  });
export type PublicStatusNotice = z.infer<typeof PublicStatusNotice>;

/** The notice as stored (tenants.status_notice) and shown to admins: who set it and when. */
export const StoredStatusNotice = PublicStatusNotice.extend({
  setAt: z.string().openapi({ format: "date-time" }),
  setBy: z.string().openapi({ description: "The admin's name, or `webhook` for a status page." }),
}).openapi("StatusNotice");
export type StoredStatusNotice = z.infer<typeof StoredStatusNotice>;

export const StatusNoticeResponse = z
  .object({
    notice: StoredStatusNotice.nullable(),
    showing: z.boolean().openapi({ description: "Whether the widget shows it now (now is within its window)." }),
    webhookSecretSet: z.boolean().openapi({ description: "Whether a status page may set it by a signed webhook." }),
  })
  .openapi("StatusNoticeResponse");

/** Body of the status-page webhook: the notice to show, or null to clear it. */
export const StatusWebhookBody = z
  .object({ notice: StatusNoticeInput.nullable() })
  .strict()
  .openapi("StatusWebhookBody", {
    description:
      'Signed the Standard Webhooks way. `{"notice": {…}}` sets (replaces) the notice; `{"notice": null}` clears it.',
  });

export const StatusWebhookSecretResponse = z
  .object({ secret: z.string().openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }) })
  .openapi("StatusWebhookSecret");
