import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServer } from "../../scripts/lib/demo-server";
import {
  applyMigrations,
  type DevServer,
  executeSql,
  freePort,
  ROOT,
  WRANGLER_ENV,
} from "../../scripts/lib/dev-server";
import { runNowCommand, type ScheduledRun } from "../../scripts/lib/scheduler";
import { signEmbedToken } from "../../worker/auth/token";
import { autoCloseReason } from "../../worker/jobs/auto-close";

const run = promisify(execFile);
const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECRET = "scheduled-test-embed-secret-0123456789abcdef";

/**
 * The stack as `npm start` runs it (migrations, the demo Worker, wrangler.toml's crons firing on
 * their own) on a scratch state directory holding one ticket answered 73 hours ago, past the
 * default 72-hour auto-close, and then left alone. The scheduler's first run, on start, is what
 * closes it here; its minute-by-minute ticks are tested with a fake clock in cron.test.ts.
 */
describe("npm start's stack, left alone", () => {
  let state: string;
  let server: DevServer;
  let startedAt: number;
  let migrationsList: string;
  const runs: ScheduledRun[] = [];

  beforeAll(async () => {
    state = await mkdtemp(join(tmpdir(), "edgedesk-scheduled-"));
    await applyMigrations(state);
    migrationsList = (
      await run(
        join(ROOT, "node_modules/.bin/wrangler"),
        ["d1", "migrations", "list", "edgedesk", "--local", "--persist-to", state],
        { cwd: ROOT, env: WRANGLER_ENV },
      )
    ).stdout;
    const now = Date.now();
    const answeredAt = now - 73 * HOUR;
    await executeSql(
      [
        `INSERT INTO tenants (id, parent_id, name, config, created_at, updated_at) VALUES ('quiet', NULL, 'Quiet Hosting', '{}', ${now - 100 * HOUR}, ${now - 100 * HOUR})`,
        `INSERT INTO tenant_secrets (tenant_id, kid, secret, created_at) VALUES ('quiet', 'k1', '${SECRET}', ${now - 100 * HOUR})`,
        `INSERT INTO tickets (id, tenant_id, number, subject, status, priority, department, requester_kind, requester_id, requester_email, requester_name,
           created_at, updated_at, last_activity_at, answered_at, version)
         VALUES ('overdue', 'quiet', 31415926, 'Renew my certificate', 'answered', 'low', 'technical', 'user', 'alice', 'alice@example.com', 'Alice',
           ${answeredAt - HOUR}, ${answeredAt}, ${answeredAt}, ${answeredAt}, 2)`,
        `INSERT INTO messages (id, tenant_id, ticket_id, author_kind, author_id, author_name, body, created_at)
         VALUES ('q-1', 'quiet', 'overdue', 'customer', 'alice', 'Alice', 'Please renew the certificate for example.com.', ${answeredAt - HOUR}),
                ('q-2', 'quiet', 'overdue', 'agent', 'bob', 'Bob', 'Renewed; it is valid until next year.', ${answeredAt})`,
      ].join(";\n"),
      state,
    );
    server = await startDemoServer({
      port: await freePort(),
      persistTo: state,
      quiet: true,
      runCrons: true,
      onScheduledRun: (r) => runs.push(r),
    });
    startedAt = Date.now();
  });

  afterAll(async () => {
    await server?.stop();
    await rm(state, { recursive: true, force: true });
  });

  async function ticket(): Promise<{ status: string; history: { to: string | null; reason: string }[] }> {
    const iat = Math.floor(Date.now() / 1000);
    const token = await signEmbedToken(
      {
        iss: "quiet",
        aud: "edgedesk",
        sub: "alice",
        email: "alice@example.com",
        name: "Alice",
        role: "customer",
        services: [],
        iat,
        exp: iat + 600,
      },
      { kid: "k1", secret: SECRET },
    );
    const res = await fetch(`${server.url}/api/v1/quiet/tickets/overdue`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { ticket: Awaited<ReturnType<typeof ticket>> }).ticket;
  }

  async function until<T>(what: string, deadline: number, found: () => Promise<T | undefined>): Promise<T> {
    for (;;) {
      const value = await found();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`${what}: not within ${Math.round((deadline - startedAt) / 1000)} s of start`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  it("has every migration applied, as `wrangler d1 migrations list --local` reports after its migration step", () => {
    expect(migrationsList).toContain("No migrations to apply");
  });

  it("closes an answered ticket whose auto-close time has passed within two minutes, with nobody pressing anything", async () => {
    const closed = await until("the overdue ticket closed", startedAt + 2 * MINUTE, async () => {
      const t = await ticket();
      return t.status === "closed" ? t : undefined;
    });
    expect(closed.history.filter((h) => h.to === "closed").map((h) => h.reason)).toEqual([autoCloseReason(72)]);
  });

  it("runs the jobs again on the command the start script prints, closing nothing twice", async () => {
    await until("the start-up run", startedAt + MINUTE, async () => runs[0]);
    expect(runs[0]).toEqual({ cron: "* * * * *", scheduledTime: expect.any(Number), outcome: 200 });
    const [, method, url] = /^curl -X (\w+) '([^']+)'$/.exec(runNowCommand(server.url, "* * * * *")) ?? [];
    const res = await fetch(url!, { method: method! });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ cron: "* * * * *", scheduledTime: expect.any(Number) });
    expect((await ticket()).history.filter((h) => h.to === "closed")).toHaveLength(1);
  });
});
