import { z } from "@hono/zod-openapi";

export const TenantParam = z
  .string()
  .max(48)
  .openapi({ param: { name: "tenant", in: "path" }, example: "demo", description: "The tenant's id (slug)." });

const Id = (name: string, description: string) =>
  z
    .string()
    .max(64)
    .openapi({ param: { name, in: "path" }, description });

export const TicketPath = z.object({ tenant: TenantParam, id: Id("id", "The ticket's id.") });
export const MessagePath = z.object({ tenant: TenantParam, id: Id("id", "The message's id.") });
export const TenantPath = z.object({ tenant: TenantParam });
