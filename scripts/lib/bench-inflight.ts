/**
 * Requests in flight at once under `wrangler dev`: the most the local stack answers with no
 * reset, no 503 and no hang. Half create a ticket, half read one, all sent together; the steps
 * double from 50 and stop after the first that loses any (bounded: at most 800 at once).
 */
export interface InFlightStep {
  inFlight: number;
  ms: number;
  answered: number;
  /** wrangler's proxy answered 503 ("Your worker restarted mid-request"). */
  unavailable: number;
  /** No answer within the timeout: wrangler's proxy queued a GET for a retry after a reload that never comes. */
  hung: number;
  /** The connection failed (reset, refused) or another status came back. */
  failed: number;
}

export type Send = (signal: AbortSignal) => Promise<Response>;

const TIMEOUT_MS = 20_000;

async function step(inFlight: number, create: Send, read: Send): Promise<InFlightStep> {
  const tally = { answered: 0, unavailable: 0, hung: 0, failed: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, i) => {
      const [send, expect] = i % 2 ? [read, 200] : [create, 201];
      try {
        const res = await send(AbortSignal.timeout(TIMEOUT_MS));
        await res.arrayBuffer();
        if (res.status === expect) tally.answered++;
        else if (res.status === 503) tally.unavailable++;
        else tally.failed++;
      } catch (error) {
        if (error instanceof DOMException && error.name === "TimeoutError") tally.hung++;
        else tally.failed++;
      }
    }),
  );
  return { inFlight, ms: performance.now() - started, ...tally };
}

export async function benchInFlight(create: Send, read: Send): Promise<InFlightStep[]> {
  const steps: InFlightStep[] = [];
  for (let n = 50; n <= 800; n *= 2) {
    const s = await step(n, create, read);
    steps.push(s);
    if (s.answered < n) break;
  }
  return steps;
}

export function printInFlightBench(steps: InFlightStep[]): void {
  const clean = steps.filter((s) => s.answered === s.inFlight).at(-1)?.inFlight ?? 0;
  console.log(`\nRequests in flight without a reset (half POST /tickets, half GET /tickets/{id}, sent at once):`);
  for (const s of steps) {
    console.log(
      `  ${String(s.inFlight).padStart(4)} at once: ${s.answered} answered, ${s.unavailable} × 503, ${s.hung} hung ${TIMEOUT_MS / 1000} s, ${s.failed} failed (${Math.round(s.ms)} ms)`,
    );
  }
  console.log(`  → ${clean} in flight with every request answered${clean === 800 ? " (the most tried)" : ""}.`);
}
