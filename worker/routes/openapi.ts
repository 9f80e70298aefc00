import type { z } from "@hono/zod-openapi";

/** A JSON response of the OpenAPI document. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body of the OpenAPI document. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** An embed token (signed-in user) or a guest's access key. */
export const withCredentials: Record<string, string[]>[] = [{ embedToken: [] }, { guestKey: [] }];
/** An embed token only: staff routes. */
export const withEmbedToken: Record<string, string[]>[] = [{ embedToken: [] }];
