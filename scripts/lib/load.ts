/** A small closed-loop load generator for loopback benchmarks: bounded in count, stops by itself. */
export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function load(options: {
  requests: number;
  concurrency: number;
  send: (i: number) => Promise<Response>;
  expect: number;
  /** Sees each response's headers (the bench reads `Edgedesk-D1` from them). */
  onResponse?: (res: Response) => void;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.requests) {
      const i = next++;
      const t0 = performance.now();
      const res = await options.send(i);
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      options.onResponse?.(res);
      if (res.status !== options.expect) errors++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: options.requests,
    seconds,
    perSecond: options.requests / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}
