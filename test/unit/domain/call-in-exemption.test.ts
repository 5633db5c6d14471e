import { describe, expect, it } from "vitest";

import { callInExemption, declareUrgent, type Urgency } from "../../../src/domain/call-in-exemption.js";
import type { Outcome } from "../../../src/domain/decision-record.js";
import { ValidationError } from "../../../src/domain/errors.js";

const outcome = (kind: string): Outcome => ({ kind, text: "that ...", items: [] });

const URGENCY: Urgency = {
  reason: "The contractor goes into administration on Friday.",
  consent: { name: "Cllr Jane Smith", role: "scrutiny-chair" },
};

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("callInExemption: recommendations to Council", () => {
  it("exempts a record whose every outcome is RECOMMENDED", () => {
    const exemption = callInExemption({ outcomes: [outcome("RECOMMENDED")], urgency: null });
    expect(exemption?.reason).toBe("recommendation-to-council");
    expect(exemption?.explanation).toMatch(/recommendation to full Council/);
  });

  it("exempts several RECOMMENDED blocks", () => {
    const exemption = callInExemption({
      outcomes: [outcome("RECOMMENDED"), outcome("RECOMMENDED")],
      urgency: null,
    });
    expect(exemption?.reason).toBe("recommendation-to-council");
  });

  it("keeps a record with both RESOLVED and RECOMMENDED outcomes subject to call-in (its executive part)", () => {
    expect(
      callInExemption({ outcomes: [outcome("RESOLVED"), outcome("RECOMMENDED")], urgency: null }),
    ).toBeNull();
    expect(
      callInExemption({ outcomes: [outcome("RECOMMENDED"), outcome("RESOLVED")], urgency: null }),
    ).toBeNull();
  });

  it("treats other operative words as executive decisions, and no outcomes as subject to call-in", () => {
    expect(callInExemption({ outcomes: [outcome("RESOLVED")], urgency: null })).toBeNull();
    expect(callInExemption({ outcomes: [outcome("AGREED")], urgency: null })).toBeNull();
    expect(callInExemption({ outcomes: [], urgency: null })).toBeNull();
  });

  it("reads the word whatever its case or spacing", () => {
    expect(callInExemption({ outcomes: [{ kind: " recommended " }], urgency: null })?.reason).toBe(
      "recommendation-to-council",
    );
  });

  it("gives the recommendation as the reason when a recommendation is also declared urgent", () => {
    expect(callInExemption({ outcomes: [outcome("RECOMMENDED")], urgency: URGENCY })?.reason).toBe(
      "recommendation-to-council",
    );
  });
});

describe("callInExemption: urgent decisions", () => {
  it("exempts an urgent decision with the reason and the scrutiny chair's consent recorded", () => {
    const exemption = callInExemption({ outcomes: [outcome("RESOLVED")], urgency: URGENCY });
    expect(exemption).toEqual({
      reason: "urgent",
      explanation:
        "This decision was taken as urgent, so it is not subject to call-in. Reason for urgency: The contractor " +
        "goes into administration on Friday. Cllr Jane Smith, chair of overview and scrutiny, agreed that the " +
        "decision is urgent and cannot reasonably be deferred.",
    });
  });

  it("accepts the council chair or vice-chair, failing the scrutiny chair", () => {
    for (const [role, title] of [
      ["council-chair", "chair of the council"],
      ["council-vice-chair", "vice-chair of the council"],
    ] as const) {
      const exemption = callInExemption({
        outcomes: [outcome("RESOLVED")],
        urgency: { reason: "Storm damage", consent: { name: "Cllr Ann Lee", role } },
      });
      expect(exemption?.explanation).toContain(`Cllr Ann Lee, ${title}, agreed`);
    }
  });

  it("refuses urgency whose consent was not recorded", () => {
    const unchecked = { reason: "Storm damage" } as unknown as Urgency;
    const error = validationErrorOf(() =>
      callInExemption({ outcomes: [outcome("RESOLVED")], urgency: unchecked }),
    );
    expect(error.field).toBe("urgency.consent");
    expect(error.message).toMatch(/consent of the chair of overview and scrutiny/);
  });
});

describe("declareUrgent", () => {
  it("returns the declaration trimmed", () => {
    expect(
      declareUrgent({
        reason: "  Storm damage ",
        consent: { name: " Cllr Ann Lee ", role: "scrutiny-chair" },
      }),
    ).toEqual({ reason: "Storm damage", consent: { name: "Cllr Ann Lee", role: "scrutiny-chair" } });
  });

  it.each([
    [{ reason: "Storm damage" }, "urgency.consent"],
    [{ reason: "Storm damage", consent: null }, "urgency.consent"],
    [{ reason: "Storm damage", consent: { name: "  ", role: "scrutiny-chair" } }, "urgency.consent.name"],
    [{ reason: "Storm damage", consent: { role: "scrutiny-chair" } }, "urgency.consent.name"],
    [{ reason: "Storm damage", consent: { name: "Cllr Lee" } }, "urgency.consent.role"],
    [{ reason: "Storm damage", consent: { name: "Cllr Lee", role: "leader" } }, "urgency.consent.role"],
    [{ reason: "", consent: { name: "Cllr Lee", role: "scrutiny-chair" } }, "urgency.reason"],
    [{ consent: { name: "Cllr Lee", role: "scrutiny-chair" } }, "urgency.reason"],
  ])("rejects %j (field %s)", (input, field) => {
    const error = validationErrorOf(() => declareUrgent(input));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^urgency: /);
  });

  it("rejects something that is not a declaration at all", () => {
    expect(() => declareUrgent("urgent")).toThrow(ValidationError);
    expect(() => declareUrgent(null)).toThrow(ValidationError);
  });
});
