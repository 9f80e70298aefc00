/**
 * How background delivery retries, for mail notices and alert pages alike: a try claims its
 * row for a lease, so overlapping runs never send twice, and a failed try waits longer each time.
 */

/** How long one delivery try may hold a notice or an alert before another run may take it over. */
export const LEASE_MS = 60_000;

/** 30 s, 1 min, 2 min, … capped at 15 min between tries. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}
