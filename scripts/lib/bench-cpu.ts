/**
 * CPU the bench's own workerd spends (Miniflare's child of this process, scripts/lib/local-worker.ts),
 * read from /proc: what a request costs the runtime including the work it leaves behind (the
 * DELIVERIES queue's consumer runs in the same workerd locally), and a way to wait until that work
 * is done, so it is charged to the run that caused it and not to the next one's baseline.
 */
import { processTreeCpu } from "./profile";

/** CPU (ms) of every process under this one, this process excluded (the client is measured apart). */
export async function childCpuMs(): Promise<number> {
  let sum = 0;
  for (const [pid, { ms }] of await processTreeCpu(process.pid)) if (pid !== process.pid) sum += ms;
  return sum;
}

const WINDOW_MS = 250;
/** A window below this share of one core counts as idle. */
const IDLE_SHARE = 0.05;
const MOST_MS = 30_000;

/** Waits until the child processes have been idle for two windows in a row (at most 30 s); returns how long that took. */
export async function settle(): Promise<number> {
  const started = performance.now();
  let idleWindows = 0;
  let before = await childCpuMs();
  while (idleWindows < 2 && performance.now() - started < MOST_MS) {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const now = await childCpuMs();
    idleWindows = now - before <= WINDOW_MS * IDLE_SHARE ? idleWindows + 1 : 0;
    before = now;
  }
  return performance.now() - started;
}
