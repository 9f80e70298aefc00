/**
 * The production Worker in workerd through Miniflare's API, with wrangler.toml's bindings (D1, R2,
 * Queues, the Durable Object, the rate limits) and the same local state `wrangler dev --persist-to`
 * keeps: what `npm run bench` and `npm run profile` measure. Unlike `wrangler dev` (the demo's
 * stack, scripts/lib/dev-server.ts), nothing stands between the client and workerd: no Node
 * proxy, no second workerd proxying, no inspector logging every D1 answer to disk. None of those
 * exist in production, and on this 2-core machine they cost more CPU per request than the Worker
 * (docs/benchmarks.md, "Where create's time goes locally").
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Miniflare, type WorkerOptions } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleWorker, ROOT } from "./dev-server";

export interface LocalWorker {
  url: string;
  stop(): Promise<void>;
}

export async function startLocalWorker(options: {
  port: number;
  persistTo: string;
  vars: Record<string, string>;
  /** workerd's DevTools inspector on this port (scripts/lib/profile.ts takes CPU profiles through it). */
  inspectorPort?: number;
}): Promise<LocalWorker> {
  const outdir = await mkdtemp(join(tmpdir(), "edgedesk-bundle-"));
  await bundleWorker(outdir);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, "wrangler.toml"));
  const fromConfig = workerOptions as WorkerOptions;
  const state = (kind: string) => join(options.persistTo, "v3", kind);
  const mf = new Miniflare({
    ...fromConfig,
    name: "edgedesk",
    modules: true,
    scriptPath: join(outdir, "index.js"),
    modulesRoot: outdir,
    bindings: { ...fromConfig.bindings, ...options.vars },
    host: "127.0.0.1",
    port: options.port,
    d1Persist: state("d1"),
    r2Persist: state("r2"),
    durableObjectsPersist: state("do"),
    kvPersist: state("kv"),
    cachePersist: state("cache"),
    ...(options.inspectorPort !== undefined && { inspectorPort: options.inspectorPort, unsafeInspectorProxy: true }),
  });
  const url = (await mf.ready).origin;
  return {
    url,
    async stop() {
      await mf.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
