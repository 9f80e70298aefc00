import { z } from "@hono/zod-openapi";

const Iso = z.string().openapi({ format: "date-time" });

/** Loopback hosts: the only ones an endpoint may reach over plain http (a receiver on the same machine while developing). */
const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Where a webhook may go: https, or http to a loopback address; no credentials in the URL. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return null;
  return "must be https (plain http only to localhost, 127.0.0.1 or [::1])";
}

export const WebhookUrl = z
  .string()
  .max(500)
  .superRefine((s, ctx) => {
    const problem = webhookUrlProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ example: "https://hooks.example.com/edgedesk" });

/** The events an endpoint can ask for (docs/webhooks.md); `webhook.test` comes only from a test. */
export const EVENT_TYPES = [
  "ticket.created",
  "ticket.replied",
  "ticket.status_changed",
  "ticket.assigned",
  "ticket.escalated",
  "alert.raised",
  "alert.acknowledged",
  "feedback.received",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EventType = z.enum(EVENT_TYPES).openapi("WebhookEventType");

/** An endpoint's id in a path (the provider's and the tenant's own routes). */
export const EndpointId = z
  .string()
  .max(64)
  .openapi({ param: { name: "endpointId", in: "path" }, example: "ep_3f2a…" });

export const NewWebhookEndpoint = z
  .strictObject({
    url: WebhookUrl,
    events: z
      .array(EventType)
      .min(1)
      .max(EVENT_TYPES.length)
      .refine((events) => new Set(events).size === events.length, { message: "lists an event twice" })
      .openapi({ description: "The events this endpoint receives." }),
    description: z.string().max(200).default(""),
    includeInternalNotes: z.boolean().default(false).openapi({
      description: "Also send `ticket.replied` for staff's internal notes (off: only what the customer sees).",
    }),
  })
  .openapi("NewWebhookEndpoint");

export const WebhookEndpointView = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(EventType),
    includeInternalNotes: z.boolean(),
    createdAt: Iso,
    updatedAt: Iso,
    previousSecretExpiresAt: Iso.nullable().openapi({
      description: "After a rotation: until when the old secret still signs, beside the new one.",
    }),
  })
  .openapi("WebhookEndpoint");
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

export const WebhookEndpointCreated = z
  .object({
    endpoint: WebhookEndpointView,
    secret: z.string().openapi({ description: "`whsec_…`: shown once; the receiver verifies with it." }),
  })
  .openapi("WebhookEndpointCreated");
export type WebhookEndpointCreated = z.infer<typeof WebhookEndpointCreated>;

export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpointView) }).openapi("WebhookEndpointList");
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const RotateWebhookSecret = z
  .strictObject({
    graceMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(24 * 60)
      .openapi({
        description: "How long the old secret keeps signing beside the new one (0: stop at once). Default 24 h.",
      }),
  })
  .openapi("RotateWebhookSecret");

export const RotatedWebhookSecret = z
  .object({ secret: z.string(), previousSecretExpiresAt: Iso.nullable() })
  .openapi("RotatedWebhookSecret");
export type RotatedWebhookSecret = z.infer<typeof RotatedWebhookSecret>;

export const WebhookTestResult = z
  .object({
    eventId: z.string(),
    delivered: z.boolean(),
    statusCode: z.number().int().nullable(),
    error: z.string().nullable(),
  })
  .openapi("WebhookTestResult");
export type WebhookTestResult = z.infer<typeof WebhookTestResult>;

export const DeliveryStatus = z.enum(["pending", "delivered", "failed"]);

export const WebhookDeliveryView = z
  .object({
    eventId: z.string().openapi({ description: "The `webhook-id` header: the same on every try." }),
    endpointId: z.string(),
    type: z.string(),
    status: DeliveryStatus.openapi({
      description: "`failed`: every try failed; `lastError` says how the last one did.",
    }),
    attempts: z.number().int(),
    responseCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: Iso,
    nextAttemptAt: Iso.nullable().openapi({ description: "When it is tried again (pending only)." }),
    finishedAt: Iso.nullable(),
  })
  .openapi("WebhookDelivery");

export const WebhookDeliveryList = z
  .object({ deliveries: z.array(WebhookDeliveryView) })
  .openapi("WebhookDeliveryList");
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

export const DeliveriesQuery = z.object({
  endpoint: z.string().max(64).optional(),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
