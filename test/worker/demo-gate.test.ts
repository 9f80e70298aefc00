import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import demoWorker from "../../demo/worker";

/** The demo Worker, as it would answer if deployed by mistake: its routes hand out tokens and show private links. */
async function demo(url: string, vars: Record<string, string>, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await demoWorker.fetch(new Request(url, { headers }), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const DEMO_PATHS = ["/", "/demo", "/demo/", "/demo/token/alice", "/demo/outbox", "/demo/alerts"];

describe("the demo's routes", () => {
  it.each(DEMO_PATHS)("do not exist without DEMO=true: %s answers 404", async (path) => {
    const res = await demo(`http://127.0.0.1:8787${path}`, {});
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it.each(DEMO_PATHS)("answer no other machine with DEMO=true: %s on a public address answers 403", async (path) => {
    expect((await demo(`https://desk.example.com${path}`, { DEMO: "true" })).status).toBe(403);
    const spoofed = await demo(`http://127.0.0.1:8787${path}`, { DEMO: "true" }, { "cf-connecting-ip": "203.0.113.9" });
    expect(spoofed.status).toBe(403);
  });

  it("hand out no token to another machine, but do on this one and with DEMO_PUBLIC=true", async () => {
    const refused = await demo("https://desk.example.com/demo/token/alice", { DEMO: "true" });
    expect(await refused.text()).not.toMatch(/^ey/);
    const local = await demo("http://127.0.0.1:8787/demo/token/alice", { DEMO: "true" });
    expect(local.status).toBe(200);
    expect(await local.text()).toMatch(/^ey/);
    const open = await demo("https://desk.example.com/demo/token/alice", { DEMO: "true", DEMO_PUBLIC: "true" });
    expect(open.status).toBe(200);
  });

  it("leave the real app untouched without DEMO", async () => {
    expect((await demo("https://desk.example.com/healthz", {})).status).toBe(200);
  });
});
