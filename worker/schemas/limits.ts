import { z } from "@hono/zod-openapi";

/**
 * The allowances a tenant can choose for a rate limit. Cloudflare's Rate Limiting binding fixes its
 * limit and period per namespace, so each allowance is one binding (wrangler.toml [[ratelimits]],
 * worker/middleware/rate-limit.ts); a tenant picks among them, and the tenant's id is in every key.
 */
export const ALLOWANCES = ["5/10s", "5/min", "10/min", "30/min", "100/min", "1000/min"] as const;
export type Allowance = (typeof ALLOWANCES)[number];

const allowance = (fallback: Allowance, description: string) =>
  z.enum(ALLOWANCES).default(fallback).openapi({ description });

export const DEFAULT_PENDING_UPLOAD_BYTES = 50 * 1024 * 1024;

export const RateLimits = z
  .object({
    ticketsPerIdentity: allowance("10/min", "New tickets per signed-in person."),
    ticketsPerIp: allowance("30/min", "New tickets per client IP address, guests' included."),
    guestTicketsPerIp: allowance("5/min", "New tickets by guests (no account) per client IP address."),
    repliesPerIdentity: allowance("30/min", "Replies per person (signed in, or a guest's key)."),
    repliesPerIp: allowance("100/min", "Replies per client IP address."),
    uploadsPerIdentity: allowance("30/min", "Uploads per person (signed in, or a guest's key)."),
    uploadsPerIp: allowance("100/min", "Uploads per client IP address."),
    wrongKeysPerIp: allowance("10/min", "Refused guest access keys (`Authorization: Key …`) per client IP address."),
    mailPerSender: allowance("10/min", "Inbound mails per sender address; more are rejected."),
    pendingUploadBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .max(1024 * 1024 * 1024)
      .default(DEFAULT_PENDING_UPLOAD_BYTES)
      .openapi({ description: "Bytes of uploads one person may hold that are not attached to a message yet." }),
  })
  .strict()
  .openapi("RateLimits", {
    description: "Allowances per tenant, each `N/min` or `N/10s` from a fixed list (one Cloudflare namespace each).",
  });
export type RateLimits = z.infer<typeof RateLimits>;
/** The counted limits (all but the byte cap). */
export type LimitName = Exclude<keyof RateLimits, "pendingUploadBytes">;
