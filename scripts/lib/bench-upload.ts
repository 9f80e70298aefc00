/**
 * Uploads through the Worker against writing the same bytes to local R2 directly, in the same
 * run, and the Worker's peak memory while it streams files of growing size. Run from
 * scripts/bench.ts; on its own:
 *   npx tsx -e 'import("./scripts/lib/bench-upload.ts").then(async m => m.printUploadBench(await m.benchUpload()))'
 */
/// <reference types="@cloudflare/workers-types/2023-07-01" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy } from "wrangler";
import { signEmbedToken } from "../../worker/auth/token";
import { figure, RUNS as PEAK_RUNS } from "./bench-figures";
import { applyMigrations, executeSql, freePort, ROOT, startDevServer } from "./dev-server";
import { descendants, rssMiB } from "./workerd-memory";

const MiB = 1024 * 1024;
const SECRET = "bench-embed-secret-0123456789abcdef0123456789";
const RUNS = Number(process.env.BENCH_UPLOADS ?? 5);
const SIZES = [1 * MiB, 10 * MiB, 50 * MiB];

export interface UploadBench {
  /** MiB/s for a 10 MiB file, one figure per upload (BENCH_UPLOADS of them). */
  viaWorker: number[];
  directToR2: number[];
  /** Resident memory of workerd above its size just before, while streaming one file, BENCH_RUNS times per size. */
  peakGrowth: { bytes: number; growthMiB: number[] }[];
  idleMiB: number;
}

/** A PNG signature followed by pseudo-random bytes: a valid-looking image of `size` bytes. */
function pngOf(size: number): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(size);
  for (let i = 0; i < size; i += 4) body[i] = (i * 2654435761) >>> 24;
  body.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return body;
}

export async function benchUpload(): Promise<UploadBench> {
  const dir = await mkdtemp(join(tmpdir(), "edgedesk-bench-upload-"));
  const now = Date.now();
  try {
    await applyMigrations(dir);
    await executeSql(
      [
        `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('bench', NULL, 'Bench Hosting', '{"attachments":{"maxFileBytes":${100 * MiB}},"limits":{"pendingUploadBytes":${1024 * MiB}}}', ${now}, ${now})`,
        `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('bench', 'k1', '${SECRET}', ${now})`,
      ].join(";\n"),
      dir,
    );
    const server = await startDevServer({
      script: "worker/index.ts",
      port: await freePort(),
      persistTo: dir,
      quiet: true,
      vars: { ADMIN_SECRET: "bench-admin-secret", SECRETS_KEY: "bench-secrets-key-0123456789" },
    });
    try {
      const iat = Math.floor(Date.now() / 1000);
      const token = await signEmbedToken(
        {
          iss: "bench",
          aud: "edgedesk",
          sub: "uploader",
          email: "u@example.com",
          name: "Uploader",
          role: "customer",
          services: [],
          iat,
          exp: iat + 3600,
        },
        { kid: "k1", secret: SECRET },
      );
      const send = async (file: Uint8Array<ArrayBuffer>) => {
        const res = await fetch(`${server.url}/api/v1/bench/uploads?name=shot.png`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: file,
        });
        if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      };
      const workerd = descendants(server.process.pid!);

      const ten = pngOf(10 * MiB);
      await send(ten); // warm-up
      const viaWorker: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        await send(ten);
        viaWorker.push(10 / ((performance.now() - started) / 1000));
      }

      const idleMiB = await rssMiB(workerd);
      const peakGrowth: UploadBench["peakGrowth"] = [];
      for (const size of SIZES) {
        const file = pngOf(size);
        const growthMiB: number[] = [];
        for (let i = 0; i < PEAK_RUNS; i++) {
          // Above the size just before this upload, so one upload's garbage is not counted in the next.
          const before = await rssMiB(workerd);
          let peak = before;
          const sampler = setInterval(() => void rssMiB(workerd).then((m) => (peak = Math.max(peak, m))), 10);
          await send(file);
          clearInterval(sampler);
          peak = Math.max(peak, await rssMiB(workerd));
          growthMiB.push(peak - before);
        }
        peakGrowth.push({ bytes: size, growthMiB });
      }

      // The same bytes straight into local R2 (another workerd, through the platform proxy).
      const proxy = await getPlatformProxy<{ FILES: R2Bucket }>({
        configPath: join(ROOT, "wrangler.toml"),
        persist: { path: join(dir, "direct") },
        remoteBindings: false,
      });
      const directToR2: number[] = [];
      try {
        await proxy.env.FILES.put("warm", ten);
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          await proxy.env.FILES.put(`direct-${i}`, ten);
          directToR2.push(10 / ((performance.now() - started) / 1000));
        }
      } finally {
        await proxy.dispose();
      }
      return { viaWorker, directToR2, peakGrowth, idleMiB };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function printUploadBench(r: UploadBench): void {
  console.log(
    `\nUploads: a 10 MiB PNG, ${r.viaWorker.length} times each way; the baseline writes the same bytes to local R2 directly in the same run.`,
  );
  console.log("Each figure: median (lowest–highest); the ratio pairs the i-th upload of each way.\n");
  console.log(`through the Worker (POST /uploads, checked, hashed)   ${figure(r.viaWorker, 1).padStart(20)} MiB/s`);
  console.log(`straight to local R2 (baseline)                        ${figure(r.directToR2, 1).padStart(20)} MiB/s`);
  console.log(
    `ratio ×                                                ${figure(
      r.viaWorker.map((v, i) => v / r.directToR2[i]!),
      2,
    ).padStart(20)}`,
  );
  console.log(
    `\nworkerd resident memory: ${r.idleMiB.toFixed(0)} MiB idle; growth while streaming one file, above its size just before (${r.peakGrowth[0]?.growthMiB.length ?? 0} times each):`,
  );
  for (const p of r.peakGrowth)
    console.log(`  ${String(p.bytes / MiB).padStart(3)} MiB file   +${figure(p.growthMiB, 1)} MiB`);
}
