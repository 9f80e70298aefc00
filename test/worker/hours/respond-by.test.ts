import { describe, expect, it } from "vitest";
import type { PagingRequester } from "../../../worker/alerts/policy";
import { respondByAt } from "../../../worker/hours/respond-by";
import { type Tenant, TenantConfig } from "../../../worker/schemas/tenant";

// The default calendar: New York, Monday to Friday 08:00-16:00 (EST is UTC-5 in December 2026).
const tenant: Tenant = {
  id: "t",
  parentId: null,
  name: "T",
  config: TenantConfig.parse({}),
  createdAt: 0,
  updatedAt: 0,
};
const customer: PagingRequester = { requesterKind: "user", serviceId: "svc-1" };
const guest: PagingRequester = { requesterKind: "guest", serviceId: null };
const at = (iso: string) => Date.parse(iso);
const deadline = (priority: "medium" | "urgent", iso: string, who = customer) =>
  new Date(respondByAt(tenant, { ...who, priority }, at(iso)) ?? 0).toISOString();

describe("the expected-response deadline", () => {
  it("during hours: the start plus the priority's target", () => {
    expect(deadline("medium", "2026-11-30T10:00:00-05:00")).toBe("2026-11-30T23:00:00.000Z");
    expect(deadline("urgent", "2026-11-30T10:00:00-05:00")).toBe("2026-11-30T16:00:00.000Z");
  });

  it("after hours: the next opening plus the target, for what does not page", () => {
    // Saturday noon: Monday 08:00 plus 8 hours.
    expect(deadline("medium", "2026-12-05T12:00:00-05:00")).toBe("2026-12-07T21:00:00.000Z");
    // A guest's emergency waits for the opening too (guests do not page by default), plus 1 hour.
    expect(deadline("urgent", "2026-12-05T12:00:00-05:00", guest)).toBe("2026-12-07T14:00:00.000Z");
  });

  it("after hours, an emergency that pages: within the hour; after midnight, by 07:00", () => {
    expect(deadline("urgent", "2026-12-05T12:00:00-05:00")).toBe("2026-12-05T18:00:00.000Z");
    expect(deadline("urgent", "2026-12-05T03:00:00-05:00")).toBe("2026-12-05T12:00:00.000Z");
  });

  it("takes the tenant's own targets", () => {
    const strict = { ...tenant, config: TenantConfig.parse({ responseTargetHours: { medium: 2 } }) };
    expect(respondByAt(strict, { ...customer, priority: "medium" }, at("2026-11-30T10:00:00-05:00"))).toBe(
      at("2026-11-30T12:00:00-05:00"),
    );
  });
});
