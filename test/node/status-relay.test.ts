/**
 * The status-page relay recipe (examples/node/status-relay.mjs, docs/api.md "Status notice") run
 * as a provider would run it, against the demo Worker: a Statuspage incident sets the desk's
 * notice, a scheduled maintenance sets one with its window, the resolved incident clears it, and
 * a relay holding the wrong secret changes nothing.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { ROOT } from "../../scripts/lib/dev-server";
import { createDesk, tokenFor } from "./admin-harness";

const demoUrl = inject("demoUrl");
const RELAY = join(ROOT, "examples/node/status-relay.mjs");

/** Runs the relay with `payload` on stdin; its exit code and what it printed. */
function relay(kind: string, payload: unknown, env: Record<string, string>) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = execFile(process.execPath, [RELAY, kind], { env: { ...process.env, ...env } }, (error, stdout) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout }),
    );
    child.stdin?.end(JSON.stringify(payload));
  });
}

const config = async (tenant: string) =>
  ((await (await fetch(`${demoUrl}/api/v1/${tenant}/config`)).json()) as { statusNotice: unknown }).statusNotice;

describe("the status-page relay recipe", () => {
  it("relays a Statuspage incident, a scheduled maintenance and the resolution, signed", async () => {
    const desk = await createDesk(demoUrl, "relay");
    const admin = await tokenFor(desk.provider, desk.key, { sub: "ada", role: "admin" });
    const made = await fetch(`${demoUrl}/api/v1/${desk.provider}/status-notice/webhook-secret`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    });
    const { secret } = (await made.json()) as { secret: string };
    const env = {
      EDGEDESK_STATUS_URL: `${demoUrl}/api/v1/${desk.provider}/status-notice/webhook`,
      EDGEDESK_STATUS_SECRET: secret,
    };

    const incident = {
      page: { id: "p1" },
      incident: {
        name: "Mail delays on vps7",
        status: "investigating",
        impact: "minor",
        components: [{ name: "vps7" }],
      },
    };
    expect(await relay("statuspage", incident, env)).toMatchObject({ code: 0, out: expect.stringMatching(/^204/) });
    expect(await config(desk.provider)).toMatchObject({
      text: "Mail delays on vps7",
      severity: "incident",
      affects: ["vps7"],
    });

    const soon = Date.now() + 60_000;
    const maintenance = {
      incident: {
        name: "Planned upgrade of\nthe mail servers",
        status: "scheduled",
        scheduled_for: new Date(soon).toISOString(),
        scheduled_until: new Date(soon + 3_600_000).toISOString(),
        components: [],
      },
    };
    expect((await relay("statuspage", maintenance, env)).code).toBe(0);
    // Not yet: it shows from its start.
    expect(await config(desk.provider)).toBeNull();

    const wrong = { ...env, EDGEDESK_STATUS_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
    expect(await relay("statuspage", incident, wrong)).toMatchObject({ code: 1, out: expect.stringMatching(/^401/) });
    expect(await config(desk.provider)).toBeNull();

    expect((await relay("instatus", { incident: { name: "Outage", status: "INVESTIGATING" } }, env)).code).toBe(0);
    expect(await config(desk.provider)).toMatchObject({ text: "Outage", severity: "incident" });
    expect((await relay("statuspage", { incident: { ...incident.incident, status: "resolved" } }, env)).code).toBe(0);
    expect(await config(desk.provider)).toBeNull();
    // The reseller under it is untouched by its provider's notices.
    expect(await config(desk.reseller)).toBeNull();
  });
});
