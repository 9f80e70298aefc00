import { z } from "@hono/zod-openapi";
import { TenantParam } from "./params";

/** The person a people's-data route is about: the requester's email, in the path (any case). */
export const PersonPath = z.object({
  tenant: TenantParam,
  email: z
    .email({ error: "must be an email address" })
    .max(254)
    .openapi({
      param: { name: "email", in: "path" },
      example: "alice@example.com",
      description: "The requester's email (URL-encoded; compared without regard to case).",
    }),
});

export const ErasureResponse = z
  .object({
    erased: z.object({
      tickets: z.number().int().openapi({ description: "Tickets erased by this call." }),
      files: z.number().int().openapi({ description: "Attachments and mail originals deleted from R2 by this call." }),
    }),
    done: z.boolean().openapi({
      description: "False when more of the person's tickets remain (a person with very many): call again until true.",
    }),
  })
  .openapi("ErasureResponse");
export type ErasureView = z.infer<typeof ErasureResponse>;

/** A ZIP download in the OpenAPI document. */
export const zipResponse = (description: string) => ({
  description,
  content: { "application/zip": { schema: z.string().openapi({ format: "binary" }) } },
});
