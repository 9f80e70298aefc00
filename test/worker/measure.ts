/**
 * Calling the Worker over a D1 that counts its round trips: what the round-trip tests pin
 * (round-trips.test.ts for the main routes, console-round-trips and escalation-round-trips).
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Env } from "../../worker/env";
import worker from "../../worker/index";
import { countingD1, type D1Counts, noD1Counts } from "../../worker/middleware/d1-counts";

export interface Measured {
  status: number;
  body: unknown;
  /** Before the response: what the person waits for. */
  request: D1Counts;
  /** Left to waitUntil (notices, alert delivery). */
  background: D1Counts;
}

/**
 * Calls the Worker as the runtime would, over a D1 that counts its round trips. `token` is an
 * embed token, a whole Authorization value (`Key <access key>`), or "" for none; `extra` adds request headers.
 */
export async function measure(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  vars: Partial<Env> = {},
  extra: Record<string, string> = {},
): Promise<Measured & { headers: Headers }> {
  const counts = noD1Counts();
  const headers = new Headers(extra);
  if (token) headers.set("authorization", token.startsWith("Key ") ? token : `Bearer ${token}`);
  if (body !== undefined) headers.set("content-type", "application/json");
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://desk.example.com${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    }),
    { ...env, ...vars, DB: countingD1(env.DB, counts) },
    ctx,
  );
  const text = await res.text();
  const request = { ...counts };
  await waitOnExecutionContext(ctx);
  const background = {
    calls: counts.calls - request.calls,
    rowsRead: counts.rowsRead - request.rowsRead,
    rowsWritten: counts.rowsWritten - request.rowsWritten,
    ms: counts.ms - request.ms,
    sqlMs: counts.sqlMs - request.sqlMs,
  };
  return {
    status: res.status,
    headers: res.headers,
    body: res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text,
    request,
    background,
  };
}

/** Its status and round trips on the request path: `200: 1`. */
export const calls = (m: Measured) => `${m.status}: ${m.request.calls}`;
