import { z } from "@hono/zod-openapi";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: "Stable machine-readable code, e.g. validation_failed, not_found." }),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses routes share, for the OpenAPI document. */
export const problems = {
  400: problem("Malformed JSON or invalid fields; `errors` lists each field's path and reason."),
  401: problem("Missing, expired or otherwise refused credentials."),
  403: problem("Signed in, but not allowed to do this."),
  404: problem("No such tenant, ticket or message, or not yours to see."),
  409: problem("The resource changed concurrently; retry."),
  413: problem("The body is larger than accepted."),
  415: problem("The body is not JSON."),
  422: problem("The Idempotency-Key was used for a different request."),
  429: problem("Over a rate limit of the tenant; `Retry-After` says in how many seconds to try again."),
} as const;
