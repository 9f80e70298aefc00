import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";

it("ships a custom-elements.json that matches the elements' JSDoc (npm run manifest writes it)", async () => {
  const out = await mkdtemp(join(tmpdir(), "edgedesk-manifest-"));
  try {
    // As `npm run manifest` runs it, into a scratch directory (the analyzer takes it relative to the root).
    const analyzer = join(ROOT, "node_modules/@custom-elements-manifest/analyzer/cem.js");
    await promisify(execFile)(
      process.execPath,
      [
        analyzer,
        "analyze",
        "--config",
        "widget/custom-elements-manifest.config.mjs",
        "--outdir",
        relative(ROOT, out),
        "--quiet",
      ],
      { cwd: ROOT },
    );
    const fresh = await readFile(join(out, "custom-elements.json"), "utf8");
    const committed = await readFile(join(ROOT, "custom-elements.json"), "utf8");
    expect(committed, "custom-elements.json is out of date: run `npm run manifest` and commit it").toBe(fresh);

    const manifest = JSON.parse(committed) as {
      modules: {
        declarations?: {
          tagName?: string;
          attributes?: { name: string }[];
          events?: { name: string }[];
          cssParts?: { name: string }[];
          cssProperties?: { name: string }[];
        }[];
      }[];
    };
    const tickets = manifest.modules
      .flatMap((m) => m.declarations ?? [])
      .find((d) => d.tagName === "edgedesk-tickets")!;
    expect(tickets.attributes?.map((a) => a.name)).toEqual([
      "api",
      "tenant",
      "token",
      "access-key",
      "lang",
      "route-prefix",
      "theme",
    ]);
    expect(tickets.events?.map((e) => e.name)).toEqual([
      "edgedesk-ticket-created",
      "edgedesk-reply-sent",
      "edgedesk-error",
    ]);
    expect(tickets.cssParts?.map((p) => p.name)).toContain("ticket");
    expect(tickets.cssProperties?.map((p) => p.name)).toContain("--edgedesk-accent");
    expect(tickets.cssProperties?.map((p) => p.name)).toContain("--edgedesk-input-border");
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
