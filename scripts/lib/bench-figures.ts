/**
 * How `npm run bench` states a figure: the median of its runs with their range, since one run
 * on a shared machine says little; and the machine's load, which says how shared it was.
 */
import { availableParallelism, loadavg } from "node:os";

/** Runs behind every figure (BENCH_RUNS, default 3). */
export const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `123 (118–130)`: the median, then the lowest and highest run; runs that agree print one value. */
export function figure(values: readonly number[], digits = 0): string {
  const f = (n: number) => n.toFixed(digits);
  const [low, high] = [f(Math.min(...values)), f(Math.max(...values))];
  return low === high ? low : `${f(median(values))} (${low}–${high})`;
}

/** `load average 1.52 1.40 1.31 (1, 5, 15 min) on 2 cores`. */
export function loadAverage(): string {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2));
  return `load average ${one} ${five} ${fifteen} (1, 5, 15 min) on ${availableParallelism()} cores`;
}
