import { describe, expect, it } from "vitest";
import { api, newTenant, ORIGIN } from "./helpers";
import type { Problem } from "../../worker/errors";
import type { PublicConfig } from "../../worker/schemas/config";

const PRIORITIES = ["information", "low", "medium", "high", "urgent"];
const OTHER_ORIGIN = "https://evil.example";

describe("the public form definition", async () => {
  const t = await newTenant();
  const res = await api<PublicConfig>("GET", `/api/v1/${t.id}/config`);
  const cfg = res.body;

  it("is served without credentials", () => {
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(cfg.tenant.id).toBe(t.id);
  });

  it("lists the three default departments, Technical Support with host and Remote Assistance fields", () => {
    expect(cfg.departments.map((d) => [d.id, d.name])).toEqual([
      ["technical", "Technical Support"],
      ["billing", "Billing/Sales"],
      ["abuse", "Abuse"],
    ]);
    const technical = cfg.departments[0];
    expect(technical?.fields.map((f) => [f.id, f.kind, f.required])).toEqual([
      ["host", "host", true],
      ["remote_assistance", "yesno", true],
    ]);
    expect(technical?.fields[1]).toMatchObject({ kind: "yesno", mustBeYes: true, mustBeYesReason: expect.stringMatching(/root password/i) });
    expect(cfg.departments[1]?.fields).toEqual([]);
  });

  it("lists the five priorities with their meanings, medium by default", () => {
    expect(cfg.priorities.map((p) => p.id)).toEqual(PRIORITIES);
    expect(cfg.priorities.every((p) => p.meaning.length > 0)).toBe(true);
    expect(cfg.priorities.find((p) => p.id === "urgent")?.meaning).toMatch(/down/i);
    expect(cfg.defaultPriority).toBe("medium");
  });

  it("carries the guidance lists", () => {
    expect(cfg.guidance.message.join(" ")).toMatch(/steps to reproduce/i);
    expect(cfg.guidance.qualifies.length).toBeGreaterThan(0);
    expect(cfg.guidance.doesNotQualify.join(" ")).toMatch(/third-party/i);
    expect(cfg.guidance.emergencies.join(" ")).toMatch(/services down/i);
  });

  it("states the default attachment rules: six file types, 10 MiB, 5 files", () => {
    expect(cfg.attachments).toEqual({
      allowedExtensions: [".jpg", ".jpeg", ".png", ".pdf", ".txt", ".log", ".zip"],
      maxFileBytes: 10 * 1024 * 1024,
      maxFilesPerMessage: 5,
    });
  });

  it("does not take guests by default", () => {
    expect(cfg.guestsAllowed).toBe(false);
  });

  it("tells the support hours in New York time, whether open now, and the next opening when closed", () => {
    expect(cfg.supportHours.timeZone).toBe("America/New_York");
    expect(typeof cfg.supportHours.openNow).toBe("boolean");
    if (cfg.supportHours.openNow) expect(cfg.supportHours.nextOpening).toBeNull();
    else expect(Date.parse(cfg.supportHours.nextOpening ?? "")).toBeGreaterThan(Date.now() - 60_000);
  });

  it("gives the expected response for every priority", () => {
    expect(Object.keys(cfg.expectedResponse).sort()).toEqual([...PRIORITIES].sort());
    for (const expected of Object.values(cfg.expectedResponse)) {
      expect(["business_hours", "on_call", "next_morning", "next_business_day"]).toContain(expected.kind);
    }
    if (cfg.supportHours.openNow) expect(cfg.expectedResponse.low?.kind).toBe("business_hours");
    else expect(cfg.expectedResponse.low?.kind).toBe("next_business_day");
    expect(cfg.emergencyPriorities).toEqual(["high", "urgent"]);
  });

  it("contains no embed secret", () => {
    expect(JSON.stringify(cfg)).not.toContain(t.secret);
    expect(JSON.stringify(cfg)).not.toMatch(/allowedOrigins|secret/i);
  });

  it("answers an unknown tenant with a 404 problem", async () => {
    const missing = await api<Problem>("GET", `/api/v1/no-such-tenant-${Date.now().toString(36)}/config`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(missing.body.code).toBe("not_found");
  });
});

describe("CORS", async () => {
  const t = await newTenant();
  const get = (path: string, origin: string) => api<Problem>("GET", `/api/v1/${t.id}${path}`, { headers: { origin } });
  const preflight = (origin: string) =>
    api("OPTIONS", `/api/v1/${t.id}/tickets`, {
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, idempotency-key",
      },
    });

  it("echoes the tenant's allowed origin exactly, with Vary: Origin", async () => {
    const res = await get("/config", ORIGIN);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("vary") ?? "").toMatch(/\bOrigin\b/i);
  });

  it("lets the widget read Location and Idempotent-Replayed", async () => {
    const exposed = ((await get("/config", ORIGIN)).headers.get("access-control-expose-headers") ?? "").toLowerCase();
    expect(exposed).toContain("location");
    expect(exposed).toContain("idempotent-replayed");
  });

  it("gives another origin no Access-Control-Allow-Origin at all", async () => {
    const res = await get("/config", OTHER_ORIGIN);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never answers with a wildcard", async () => {
    for (const origin of [ORIGIN, OTHER_ORIGIN, "null"]) {
      expect((await get("/config", origin)).headers.get("access-control-allow-origin")).not.toBe("*");
    }
  });

  it("answers a preflight from the allowed origin with 204 and the methods and headers the widget needs", async () => {
    const res = await preflight(ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/\bPOST\b/);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/\bPATCH\b/);
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    expect(allowed).toContain("authorization");
    expect(allowed).toContain("idempotency-key");
    expect(allowed).toContain("content-type");
  });

  it("gives a preflight from another origin no Access-Control-Allow-Origin", async () => {
    const res = await preflight(OTHER_ORIGIN);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("lets the widget read error problems: a 401 to the allowed origin still carries the header", async () => {
    const res = await get("/tickets", ORIGIN);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });
});
