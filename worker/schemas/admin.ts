import { z } from "@hono/zod-openapi";
import { TenantConfig } from "./tenant";

const Iso = z.string().openapi({ format: "date-time" });

export const SecretInfo = z.object({
  kid: z.string(),
  createdAt: Iso,
  revokedAt: Iso.nullable(),
});

/** A tenant as the admin API shows it: its configuration and its secrets' key ids, never the secrets. */
export const TenantView = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    name: z.string(),
    config: TenantConfig,
    secrets: z.array(SecretInfo),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Tenant");
export type TenantView = z.infer<typeof TenantView>;

export const NewSecret = z
  .object({
    kid: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional()
      .openapi({
        description: "The key id tokens signed with this secret carry in `kid`; one is made up when left out.",
      }),
    secret: z
      .string()
      .min(32, "must be at least 32 characters")
      .max(256)
      .optional()
      .openapi({ description: "Import a secret the host panel already has; otherwise one is generated." }),
  })
  .strict()
  .openapi("NewSecret");

// Response bodies of the admin API.

export const TenantResponse = z.object({ tenant: TenantView });
export type TenantResponse = z.infer<typeof TenantResponse>;

export const NewSecretResponse = z.object({ kid: z.string(), secret: z.string() });
export type NewSecretResponse = z.infer<typeof NewSecretResponse>;
