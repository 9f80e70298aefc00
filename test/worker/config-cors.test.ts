import { describe, expect, it, vi } from "vitest";
import type { Problem } from "../../worker/errors";
import type { PublicConfig } from "../../worker/schemas/config";
import { api, newTenant, ORIGIN } from "./helpers";

const PRIORITIES = ["information", "low", "medium", "high", "urgent"] as const;
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
    expect(technical?.fields[1]).toMatchObject({
      kind: "yesno",
      mustBeYes: true,
      mustBeYesReason: expect.stringMatching(/root password/i),
    });
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

  it("gives an expected response for every priority, and high and urgent as the emergencies", () => {
    expect(Object.keys(cfg.expectedResponse).sort()).toEqual([...PRIORITIES].sort());
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

describe("the support hours in the form definition, on a pinned clock", async () => {
  const t = await newTenant();
  /** The form definition as the Worker answers it at `instant` (Date is mocked in this isolate). */
  async function configAt(instant: string): Promise<PublicConfig> {
    vi.setSystemTime(new Date(instant));
    try {
      return (await api<PublicConfig>("GET", `/api/v1/${t.id}/config`)).body;
    } finally {
      vi.useRealTimers();
    }
  }

  it("is open on a Wednesday at 10:00 New York time, with answers within business hours", async () => {
    const cfg = await configAt("2026-03-04T15:00:00Z");
    expect(cfg.supportHours).toMatchObject({
      timeZone: "America/New_York",
      openNow: true,
      holidayToday: null,
      nextOpening: null,
    });
    for (const priority of PRIORITIES) expect(cfg.expectedResponse[priority]).toEqual({ kind: "business_hours" });
  });

  it("is closed on a Saturday and opens Monday at 08:00 New York time, after the clocks go forward", async () => {
    const cfg = await configAt("2026-03-07T17:00:00Z");
    // 2026-03-08 is the first day of daylight saving time: Monday 08:00 EDT is 12:00 UTC.
    expect(cfg.supportHours).toMatchObject({
      openNow: false,
      holidayToday: null,
      nextOpening: "2026-03-09T12:00:00.000Z",
    });
    expect(cfg.expectedResponse.low).toEqual({ kind: "next_business_day", opensAt: "2026-03-09T12:00:00.000Z" });
    expect(cfg.expectedResponse.urgent).toEqual({ kind: "on_call" });
  });

  it("promises an emergency only for the next morning between midnight and 06:00", async () => {
    const cfg = await configAt("2026-03-07T08:00:00Z");
    expect(cfg.supportHours.openNow).toBe(false);
    expect(cfg.expectedResponse.high).toEqual({ kind: "next_morning" });
    expect(cfg.expectedResponse.medium?.kind).toBe("next_business_day");
  });

  it("is closed on Thanksgiving, names the holiday, and opens the next morning", async () => {
    const cfg = await configAt("2026-11-26T15:00:00Z");
    expect(cfg.supportHours).toMatchObject({
      openNow: false,
      holidayToday: "Thanksgiving",
      nextOpening: "2026-11-27T13:00:00.000Z",
    });
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
    expect(exposed).toContain("retry-after");
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
