import { z } from "@hono/zod-openapi";
import { SecretInfo } from "./admin";
import { HolidayRule, TimeZone, WeeklyHours } from "./calendar";
import { EmergencyPolicy, TenantConfig } from "./tenant";
import { singleLine } from "./text";

const shape = TenantConfig.shape;

/**
 * Body of `PATCH /api/v1/{tenant}/settings`: the parts of the tenant's config its own admins set,
 * each by the same schema as the provider's admin API (TenantConfig). A part given replaces that
 * part whole; parts left out stay as they are. Not here, so refused by name: `limits` and
 * `attachments` (the provider's resources), `parentId` and the id (the provider's structure).
 */
export const SettingsPatch = z
  .object({
    name: singleLine(1, 120).optional().openapi({ description: "The desk's name (mail, the console, escalations)." }),
    branding: shape.branding.optional(),
    allowedOrigins: shape.allowedOrigins.optional(),
    timeZone: shape.timeZone.optional(),
    hours: shape.hours.optional(),
    holidays: shape.holidays.optional(),
    // Without the policy's own check (a webhook contact needs a secret): the stored secret is merged in first.
    emergency: z.object(EmergencyPolicy.shape).optional().openapi({
      description: "Replaced whole, but a `webhookSecret` left out keeps the one set before (it is never shown again).",
    }),
    autoCloseHours: shape.autoCloseHours.optional(),
    departments: shape.departments.optional(),
    guidance: shape.guidance.optional(),
    guestsAllowed: shape.guestsAllowed.optional(),
    email: shape.email.optional(),
  })
  .strict()
  .openapi("SettingsPatch");
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** The parts of the config a tenant's admins may not change: the provider sets them (admin API). */
export const PROVIDER_CONTROLLED = ["limits", "attachments"] as const;

export const SettingsView = z
  .object({
    id: z.string(),
    name: z.string(),
    parentId: z.string().nullable().openapi({ description: "The provider of a reseller; null for a provider." }),
    config: TenantConfig.openapi({ description: "The desk's config; `emergency.webhookSecret` is never shown." }),
    webhookSecretSet: z.boolean().openapi({ description: "Whether an alert webhook signing secret is set." }),
    providerControlled: z
      .array(z.string())
      .openapi({ description: "Parts of `config` shown but set by the provider only." }),
    secrets: z.array(SecretInfo).openapi({ description: "Embed secrets by key id; the secrets are never shown." }),
    updatedAt: z.string(),
  })
  .openapi("Settings");
export type SettingsView = z.infer<typeof SettingsView>;

export const SettingsResponse = z.object({ settings: SettingsView });
export type SettingsResponse = z.infer<typeof SettingsResponse>;

export const OpeningsBody = z
  .object({
    timeZone: TimeZone.optional(),
    hours: WeeklyHours.optional(),
    holidays: z.array(HolidayRule).max(50).optional(),
    count: z.number().int().min(1).max(20).default(5),
  })
  .strict()
  .openapi("OpeningsBody", {
    description: "Draft hours to preview; parts left out are the saved ones.",
  });
export type OpeningsBody = z.infer<typeof OpeningsBody>;

export const OpeningsResponse = z.object({
  openings: z.array(
    z.object({
      opensAt: z.string().openapi({ description: "ISO instant; now, when support is open now." }),
      closesAt: z.string().nullable().openapi({ description: "ISO instant; null when it never closes again." }),
    }),
  ),
});
export type OpeningsResponse = z.infer<typeof OpeningsResponse>;

export const TestPageBody = z
  .object({ contact: z.number().int().min(0).openapi({ description: "The contact's index in `emergency.contacts`." }) })
  .strict()
  .openapi("TestPageBody");

export const TestPageResponse = z.object({
  contact: z.object({ index: z.number().int(), name: z.string(), channel: z.enum(["webhook", "email"]) }),
  delivered: z
    .boolean()
    .openapi({ description: "A webhook answered 2xx; for an email contact, the sender took the mail." }),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type TestPageResponse = z.infer<typeof TestPageResponse>;
