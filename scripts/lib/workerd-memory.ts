/**
 * workerd's memory as Linux reports it (/proc/<pid>/status), for the benchmarks that show a
 * stream stays a stream: uploads (bench-upload.ts) and exports (bench-export.ts).
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";

/** The workerd processes under `pid` (wrangler runs workerd as a child). */
export function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid=,comm="], { encoding: "utf8" });
  const rows = out
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .map(([p, pp, comm]) => ({ pid: Number(p), ppid: Number(pp), comm: comm ?? "" }));
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const r of rows.filter((x) => x.ppid === parent)) {
      if (r.comm.startsWith("workerd")) found.push(r.pid);
      walk(r.pid);
    }
  };
  walk(pid);
  return found;
}

/**
 * The sum of a status field over `pids`, in MiB: VmRSS (resident now), VmHWM (the most ever
 * resident), RssAnon (the resident part that is not a mapped file: heaps, SQLite's page cache).
 */
async function statusMiB(pids: number[], field: "VmRSS" | "VmHWM" | "RssAnon"): Promise<number> {
  let kb = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    kb += Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  }
  return kb / 1024;
}

export const rssMiB = (pids: number[]) => statusMiB(pids, "VmRSS");
export const highWaterMiB = (pids: number[]) => statusMiB(pids, "VmHWM");
export const anonMiB = (pids: number[]) => statusMiB(pids, "RssAnon");

/** Samples the resident memory of `pids` every 10 ms while `work` runs; the peak seen, in MiB. */
export async function peakWhile<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = await rssMiB(pids);
  const sampler = setInterval(() => void rssMiB(pids).then((m) => (peak = Math.max(peak, m))), 10);
  try {
    const result = await work();
    return { result, peakMiB: Math.max(peak, await rssMiB(pids)) };
  } finally {
    clearInterval(sampler);
  }
}
