import { z } from "@hono/zod-openapi";
import { WeeklyHours } from "./calendar";
import { PublicStatusNotice } from "./status-notice";
import { AttachmentRules, Department, Guidance } from "./tenant";
import { ExpectedResponse, Priority } from "./ticket";

export const PublicConfig = z
  .object({
    tenant: z.object({ id: z.string(), name: z.string() }),
    branding: z.object({ productName: z.string(), logoUrl: z.string().nullable(), accentColor: z.string() }),
    departments: z.array(Department),
    priorities: z.array(z.object({ id: Priority, meaning: z.string() })),
    defaultPriority: Priority,
    guidance: Guidance,
    attachments: AttachmentRules,
    guestsAllowed: z.boolean(),
    supportHours: z.object({
      timeZone: z.string(),
      weekly: WeeklyHours,
      openNow: z.boolean(),
      holidayToday: z.string().nullable(),
      nextOpening: z
        .string()
        .nullable()
        .openapi({ format: "date-time", description: "When support opens next, while it is closed." }),
    }),
    emergencyPriorities: z
      .array(Priority)
      .openapi({ description: "Priorities that alert the on-call team outside support hours." }),
    guestsCanPage: z.boolean().openapi({
      description:
        "Whether a guest's ticket at an emergency priority pages the on-call team; when not, it waits for support to open.",
    }),
    expectedResponse: z
      .record(Priority, ExpectedResponse)
      .openapi({ description: "What a signed-in customer's ticket filed right now can expect, per priority." }),
    guestExpectedResponse: z
      .record(Priority, ExpectedResponse)
      .openapi({ description: "What a guest's ticket filed right now can expect, per priority." }),
    statusNotice: PublicStatusNotice.nullable().openapi({
      description:
        "The maintenance or incident notice the widget shows at its top and on the form; null when none is showing now.",
    }),
  })
  .openapi("PublicConfig", { description: "Everything the widget needs to draw the new-ticket form. No secrets." });
export type PublicConfig = z.infer<typeof PublicConfig>;
