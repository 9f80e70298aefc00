import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { describe, expect, inject, it } from "vitest";
import { ROOT, WRANGLER_ENV } from "../../scripts/lib/dev-server";

const run = promisify(execFile);
const admin = (...args: string[]) =>
  run("npx", ["tsx", "scripts/admin.ts", ...args, "--url", inject("demoUrl")], { cwd: ROOT, env: WRANGLER_ENV });

describe("people's data from the admin CLI", () => {
  it("writes one person's export to a file, as a ZIP of their tickets", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "people-cli-")), "alice.zip");
    const { stdout } = await admin("people", "export", "demo", "alice@example.com", "--out", out);
    expect(stdout).toContain(`${out} written.`);
    const zip = unzipSync(new Uint8Array(await readFile(out)));
    expect(Object.keys(zip)).toContain("person.json");
    expect(Object.keys(zip).some((n) => n.startsWith("tickets/"))).toBe(true);
  });

  it("writes the tenant's whole export to a file", async () => {
    const out = join(await mkdtemp(join(tmpdir(), "people-cli-")), "demo.zip");
    await admin("export", "demo", "--out", out);
    const zip = unzipSync(new Uint8Array(await readFile(out)));
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(["tenant.json", "tables/tickets.ndjson"]));
  });

  it("erases someone (here nobody the demo knows: the demo's data stays for the other tests) and says what it erased", async () => {
    const { stdout } = await admin("people", "erase", "demo", "nobody-at-all@example.com");
    expect(stdout).toContain("Erased 0 tickets and 0 files of nobody-at-all@example.com in demo.");
  });

  it("refuses an address that is not one, with the problem", async () => {
    const failed = await admin("people", "erase", "demo", "not-an-email").catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect("code" in failed && failed.code).toBe(1);
    expect("stderr" in failed && failed.stderr).toContain("must be an email address");
  });
});
