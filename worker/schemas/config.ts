import { z } from "@hono/zod-openapi";
import { WeeklyHours } from "./calendar";
import { AttachmentRules, Department, Guidance } from "./tenant";
import { ExpectedResponse, Priority } from "./ticket";

/** `GET /api/v1/{tenant}/config`: everything the widget needs to draw the form. No secrets. */
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
      nextOpening: z.string().nullable().openapi({ format: "date-time" }),
    }),
    emergencyPriorities: z.array(Priority),
    /** What a ticket filed right now can expect, per priority. */
    expectedResponse: z.record(Priority, ExpectedResponse),
  })
  .openapi("PublicConfig");
export type PublicConfig = z.infer<typeof PublicConfig>;
