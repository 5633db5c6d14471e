import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { CallInExemption } from "../../../src/domain/call-in-exemption.js";
import { computeCallInDeadline, type HolidayCalendar } from "../../../src/domain/call-in-deadline.js";
import { STOCKTON_CALL_IN_RULE } from "../../../src/domain/call-in-rule.js";
import {
  assertCanImplement,
  deriveStatus,
  validateLifecycleFacts,
  type LifecycleFacts,
  type ScrutinyOutcome,
} from "../../../src/domain/decision-lifecycle.js";
import {
  DECISION_STATUS_TEXT,
  DECISION_STATUSES,
  IMPLEMENTABLE_STATUSES,
  isDecisionStatus,
  isPublicStatus,
  type DecisionStatus,
} from "../../../src/domain/decision-status.js";
import { ValidationError } from "../../../src/domain/errors.js";

// No bank holiday falls in the weeks these tests use; the deadline module has its own holiday tests.
const NO_HOLIDAYS: HolidayCalendar = {
  region: "england-and-wales",
  firstYear: 2015,
  lastYear: 2025,
  coversYear: (year) => year >= 2015 && year <= 2025,
  holidayName: () => null,
};

function stocktonCutoff(publishedOn: string): Date {
  return new Date(computeCallInDeadline(publishedOn, STOCKTON_CALL_IN_RULE, NO_HOLIDAYS).cutoff);
}

const ms = (date: Date, delta: number): Date => new Date(date.getTime() + delta);

// GMT: published Mon 20 Nov 2017 → call-in closes at midnight ending Fri 24 Nov 2017 = 2017-11-25T00:00Z.
const GMT_PUBLISHED = new Date("2017-11-20T10:00:00Z");
const GMT_CUTOFF = stocktonCutoff("2017-11-20");
// BST: published Tue 19 Jul 2016 → midnight ending Mon 25 Jul 2016 = 2016-07-25T23:00Z.
const BST_PUBLISHED = new Date("2016-07-19T08:30:00Z");
const BST_CUTOFF = stocktonCutoff("2016-07-19");

const URGENT: CallInExemption = {
  reason: "urgent",
  explanation: "This decision was taken as urgent, so it is not subject to call-in.",
};
const RECOMMENDATION: CallInExemption = {
  reason: "recommendation-to-council",
  explanation: "This is a recommendation to full Council, which makes the decision itself.",
};

function facts(overrides: Partial<LifecycleFacts> = {}): LifecycleFacts {
  return {
    publishedAt: GMT_PUBLISHED,
    callInCutoff: GMT_CUTOFF,
    exemption: null,
    callInRequests: [],
    scrutiny: null,
    implementedAt: null,
    ...overrides,
  };
}

function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("the status vocabulary", () => {
  it("has a label and a one-line description for every status", () => {
    for (const status of DECISION_STATUSES) {
      const text = DECISION_STATUS_TEXT[status];
      expect(text.label.length).toBeGreaterThan(0);
      expect(text.description).toMatch(/^[A-Z].*\.$/);
      expect(text.description).not.toContain("\n");
      expect(isDecisionStatus(status)).toBe(true);
    }
    expect(DECISION_STATUS_TEXT.published.label).toBe("Call-in period open");
    expect(DECISION_STATUS_TEXT["called-in"].label).toBe("Called in for scrutiny");
    expect(isDecisionStatus("withdrawn")).toBe(false);
    expect(isPublicStatus("draft")).toBe(false);
    expect(isPublicStatus("published")).toBe(true);
    expect(IMPLEMENTABLE_STATUSES).toEqual(["effective", "confirmed"]);
  });
});

describe("deriveStatus around the cutoff", () => {
  it.each([
    [
      "GMT",
      GMT_PUBLISHED,
      GMT_CUTOFF,
      "2017-11-25T00:00:00.000Z",
      "midnight at the end of Friday 24 November 2017",
    ],
    [
      "BST",
      BST_PUBLISHED,
      BST_CUTOFF,
      "2016-07-25T23:00:00.000Z",
      "midnight at the end of Monday 25 July 2016",
    ],
  ])("walks a %s decision from draft to effective", (_zone, publishedAt, cutoff, cutoffIso, closes) => {
    expect(cutoff.toISOString()).toBe(cutoffIso);
    const f = facts({ publishedAt, callInCutoff: cutoff });

    expect(deriveStatus(f, ms(publishedAt, -1))).toMatchObject({
      status: "draft",
      since: null,
      until: publishedAt,
      subjectToCallIn: true,
    });
    const open = {
      status: "published",
      since: publishedAt,
      until: cutoff,
      subjectToCallIn: true,
    };
    expect(deriveStatus(f, publishedAt)).toMatchObject(open);
    expect(deriveStatus(f, ms(cutoff, -1))).toMatchObject(open);
    expect(deriveStatus(f, ms(cutoff, -1)).explanation).toContain(`until call-in closes at ${closes}`);

    const effective = { status: "effective", since: cutoff, until: null, subjectToCallIn: true };
    expect(deriveStatus(f, cutoff)).toMatchObject(effective);
    expect(deriveStatus(f, ms(cutoff, 1))).toMatchObject(effective);
    expect(deriveStatus(f, ms(cutoff, 1)).explanation).toBe(
      `No valid call-in request was received before call-in closed at ${closes}, so the decision can be implemented.`,
    );
  });

  it("explains an open call-in period in UK time", () => {
    expect(deriveStatus(facts(), GMT_PUBLISHED).explanation).toBe(
      "Published at 10:00 on Monday 20 November 2017. Councillors can call this decision in for scrutiny until " +
        "call-in closes at midnight at the end of Friday 24 November 2017; it cannot be implemented before then.",
    );
    expect(
      deriveStatus(facts({ publishedAt: BST_PUBLISHED, callInCutoff: BST_CUTOFF }), BST_PUBLISHED)
        .explanation,
    ).toMatch(/^Published at 09:30 on Tuesday 19 July 2016\./);
  });

  it("ignores invalid requests", () => {
    const f = facts({
      callInRequests: [
        { receivedAt: ms(GMT_CUTOFF, -3_600_000), valid: false },
        { receivedAt: ms(GMT_CUTOFF, 720_000), valid: false },
      ],
    });
    expect(deriveStatus(f, ms(GMT_CUTOFF, -1)).status).toBe("published");
    expect(deriveStatus(f, GMT_CUTOFF).status).toBe("effective");
  });

  it("implements an effective decision", () => {
    const implementedAt = new Date("2017-11-27T09:00:00Z");
    const f = facts({ implementedAt });
    expect(deriveStatus(f, ms(implementedAt, -1))).toMatchObject({
      status: "effective",
      since: GMT_CUTOFF,
      until: implementedAt,
    });
    expect(deriveStatus(f, implementedAt)).toMatchObject({
      status: "implemented",
      since: implementedAt,
      until: null,
    });
    // Implementation at the very instant call-in closes is allowed: the window closes AT the cutoff.
    expect(deriveStatus(facts({ implementedAt: GMT_CUTOFF }), GMT_CUTOFF).status).toBe("implemented");
  });
});

describe("deriveStatus: drafts", () => {
  it("is a draft, for ever, until it has a publication time", () => {
    const f = facts({ publishedAt: null, callInCutoff: null });
    expect(deriveStatus(f, new Date("2030-01-01T00:00:00Z"))).toEqual({
      status: "draft",
      since: null,
      until: null,
      subjectToCallIn: true,
      explanation: "Not published yet.",
    });
  });

  it("is a draft until a scheduled publication", () => {
    expect(deriveStatus(facts(), new Date("2017-11-19T12:00:00Z"))).toEqual({
      status: "draft",
      since: null,
      until: GMT_PUBLISHED,
      subjectToCallIn: true,
      explanation: "Not published yet: scheduled for publication at 10:00 on Monday 20 November 2017.",
    });
  });
});

describe("deriveStatus: call-in and scrutiny", () => {
  const receivedAt = ms(GMT_CUTOFF, -1);
  const calledIn = facts({ callInRequests: [{ receivedAt, valid: true }] });

  it("is called in from the valid request, even 1 ms before the cutoff, and stays so after the cutoff", () => {
    expect(deriveStatus(calledIn, ms(receivedAt, -1))).toMatchObject({
      status: "published",
      until: receivedAt,
    });
    expect(deriveStatus(calledIn, receivedAt)).toMatchObject({
      status: "called-in",
      since: receivedAt,
      until: null,
    });
    expect(deriveStatus(calledIn, GMT_CUTOFF)).toMatchObject({ status: "called-in", since: receivedAt });
    expect(deriveStatus(calledIn, ms(GMT_CUTOFF, 86_400_000 * 30)).status).toBe("called-in");
    expect(deriveStatus(calledIn, receivedAt).explanation).toBe(
      "Called in for scrutiny at 23:59:59 on Friday 24 November 2017. It cannot be implemented unless " +
        "overview and scrutiny confirms it.",
    );
  });

  it("counts the earliest valid request, whatever the order they are listed in", () => {
    const early = { receivedAt: new Date("2017-11-21T09:00:00Z"), valid: true };
    const late = { receivedAt: new Date("2017-11-23T09:00:00Z"), valid: true };
    const a = deriveStatus(facts({ callInRequests: [late, early] }), new Date("2017-11-22T00:00:00Z"));
    const b = deriveStatus(facts({ callInRequests: [early, late] }), new Date("2017-11-22T00:00:00Z"));
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: "called-in", since: early.receivedAt });
  });

  it("can be called in at the instant of publication", () => {
    const f = facts({ callInRequests: [{ receivedAt: GMT_PUBLISHED, valid: true }] });
    expect(deriveStatus(f, ms(GMT_PUBLISHED, -1))).toMatchObject({ status: "draft", until: GMT_PUBLISHED });
    expect(deriveStatus(f, GMT_PUBLISHED)).toMatchObject({ status: "called-in", since: GMT_PUBLISHED });
  });

  it.each<[ScrutinyOutcome, string]>([
    [
      "confirmed",
      "overview and scrutiny confirmed the decision at 19:00 on Tuesday 5 December 2017, so it can be implemented.",
    ],
    [
      "referred-back",
      "overview and scrutiny referred it back to the decision maker to reconsider at 19:00 on Tuesday 5 December 2017.",
    ],
    [
      "referred-to-council",
      "overview and scrutiny referred it to full Council at 19:00 on Tuesday 5 December 2017.",
    ],
  ])("moves to %s when scrutiny decides", (outcome, explanation) => {
    const decidedAt = new Date("2017-12-05T19:00:00Z");
    const f = { ...calledIn, scrutiny: { outcome, decidedAt } };
    expect(deriveStatus(f, ms(decidedAt, -1))).toMatchObject({ status: "called-in", until: decidedAt });
    const after = deriveStatus(f, decidedAt);
    expect(after).toMatchObject({ status: outcome, since: decidedAt, until: null, subjectToCallIn: true });
    expect(after.explanation).toBe(`Called in at 23:59:59 on Friday 24 November 2017; ${explanation}`);
    expect(deriveStatus(f, new Date("2030-01-01T00:00:00Z")).status).toBe(outcome);
  });

  it("implements a decision confirmed after scrutiny", () => {
    const decidedAt = new Date("2017-12-05T19:00:00Z");
    const implementedAt = new Date("2017-12-06T09:00:00Z");
    const f = { ...calledIn, scrutiny: { outcome: "confirmed" as const, decidedAt }, implementedAt };
    expect(deriveStatus(f, decidedAt)).toMatchObject({ status: "confirmed", until: implementedAt });
    expect(deriveStatus(f, implementedAt)).toMatchObject({ status: "implemented", since: implementedAt });
  });
});

describe("deriveStatus: decisions not subject to call-in", () => {
  it("makes an urgent decision effective from publication, with the urgency explained", () => {
    const f = facts({ callInCutoff: null, exemption: URGENT });
    expect(deriveStatus(f, ms(GMT_PUBLISHED, -1))).toMatchObject({ status: "draft", subjectToCallIn: false });
    expect(deriveStatus(f, GMT_PUBLISHED)).toEqual({
      status: "effective",
      since: GMT_PUBLISHED,
      until: null,
      subjectToCallIn: false,
      explanation: `Published at 10:00 on Monday 20 November 2017. ${URGENT.explanation}`,
    });
    const implemented = { ...f, implementedAt: GMT_PUBLISHED };
    expect(deriveStatus(implemented, GMT_PUBLISHED).status).toBe("implemented");
  });

  it("gives a recommendation to Council its own status, for good", () => {
    const f = facts({ callInCutoff: null, exemption: RECOMMENDATION });
    expect(deriveStatus(f, GMT_PUBLISHED)).toMatchObject({
      status: "recommended-to-council",
      since: GMT_PUBLISHED,
      until: null,
      subjectToCallIn: false,
    });
    expect(deriveStatus(f, new Date("2030-01-01T00:00:00Z")).status).toBe("recommended-to-council");
  });

  it("keeps invalid requests against an exempt decision without effect", () => {
    const f = facts({
      callInCutoff: null,
      exemption: URGENT,
      callInRequests: [{ receivedAt: ms(GMT_PUBLISHED, 60_000), valid: false }],
    });
    expect(deriveStatus(f, ms(GMT_PUBLISHED, 120_000)).status).toBe("effective");
  });
});

describe("assertCanImplement", () => {
  it("refuses before the call-in period ends, saying when it does", () => {
    expect(() => assertCanImplement(facts(), ms(GMT_CUTOFF, -1))).toThrow(
      new ValidationError(
        "cannot be implemented before the call-in period ends at midnight at the end of Friday 24 November 2017",
        "implementedAt",
      ),
    );
    expect(validationErrorOf(() => assertCanImplement(facts(), ms(GMT_CUTOFF, -1))).field).toBe(
      "implementedAt",
    );
  });

  it("allows implementation from the cutoff instant (GMT and BST)", () => {
    expect(() => assertCanImplement(facts(), GMT_CUTOFF)).not.toThrow();
    const bst = facts({ publishedAt: BST_PUBLISHED, callInCutoff: BST_CUTOFF });
    expect(() => assertCanImplement(bst, ms(BST_CUTOFF, -1))).toThrow(
      /before the call-in period ends at midnight at the end of Monday 25 July 2016/,
    );
    expect(() => assertCanImplement(bst, BST_CUTOFF)).not.toThrow();
  });

  it("refuses drafts, called-in decisions, referrals and recommendations", () => {
    const receivedAt = new Date("2017-11-22T12:00:00Z");
    const decidedAt = new Date("2017-12-05T19:00:00Z");
    const calledIn = facts({ callInRequests: [{ receivedAt, valid: true }] });
    const later = new Date("2018-01-10T12:00:00Z");
    const cases: Array<[LifecycleFacts, Date, RegExp]> = [
      [
        facts({ publishedAt: null, callInCutoff: null }),
        later,
        /^cannot be implemented: it has not been published$/,
      ],
      [facts(), ms(GMT_PUBLISHED, -1), /^cannot be implemented before it is published at 10:00 on Monday 20/],
      [
        calledIn,
        later,
        /^cannot be implemented while it is called in for scrutiny \(since 12:00 on Wednesday 22/,
      ],
      [
        { ...calledIn, scrutiny: { outcome: "referred-back", decidedAt } },
        later,
        /^cannot be implemented: overview and scrutiny referred it back to the decision maker at 19:00/,
      ],
      [
        { ...calledIn, scrutiny: { outcome: "referred-to-council", decidedAt } },
        later,
        /^cannot be implemented: overview and scrutiny referred it to full Council at 19:00/,
      ],
      [
        { ...calledIn, scrutiny: { outcome: "confirmed", decidedAt } },
        ms(decidedAt, -1),
        /^cannot be implemented while it is called in/,
      ],
      [
        facts({ callInCutoff: null, exemption: RECOMMENDATION }),
        later,
        /^cannot be implemented: it is a recommendation to full Council/,
      ],
    ];
    for (const [f, at, message] of cases) {
      expect(validationErrorOf(() => assertCanImplement(f, at)).message).toMatch(message);
    }
    expect(() =>
      assertCanImplement({ ...calledIn, scrutiny: { outcome: "confirmed", decidedAt } }, decidedAt),
    ).not.toThrow();
    expect(() =>
      assertCanImplement(facts({ callInCutoff: null, exemption: URGENT }), GMT_PUBLISHED),
    ).not.toThrow();
  });

  it("answers for the instant asked, whatever implementation is already recorded", () => {
    const f = facts({ implementedAt: new Date("2017-11-27T09:00:00Z") });
    expect(() => assertCanImplement(f, new Date("2017-11-28T09:00:00Z"))).not.toThrow();
    expect(() => assertCanImplement(f, ms(GMT_CUTOFF, -1))).toThrow(ValidationError);
  });
});

describe("validateLifecycleFacts", () => {
  const receivedAt = new Date("2017-11-22T12:00:00Z");
  const decidedAt = new Date("2017-12-05T19:00:00Z");

  it.each<[string, LifecycleFacts, string, RegExp]>([
    [
      "a cutoff on an exempt decision",
      facts({ exemption: URGENT }),
      "callInCutoff",
      /not subject to call-in \(it was taken as urgent\), so it cannot have a call-in cutoff/,
    ],
    [
      "no cutoff on a published decision subject to call-in",
      facts({ callInCutoff: null }),
      "callInCutoff",
      /needs the instant its call-in period closes/,
    ],
    [
      "a cutoff not after publication",
      facts({ callInCutoff: GMT_PUBLISHED }),
      "callInCutoff",
      /call-in closes at 10:00 on Monday 20 November 2017, which is not after publication/,
    ],
    [
      "a valid request at the cutoff",
      facts({ callInRequests: [{ receivedAt: GMT_CUTOFF, valid: true }] }),
      "callInRequests.0",
      /received at 00:00 on Saturday 25 November 2017 is marked valid, but call-in closed at midnight at the end of Friday 24 November 2017/,
    ],
    [
      "a valid request after the cutoff",
      facts({
        callInRequests: [
          { receivedAt, valid: false },
          { receivedAt: ms(GMT_CUTOFF, 1), valid: true },
        ],
      }),
      "callInRequests.1",
      /marked valid, but call-in closed/,
    ],
    [
      "a valid request before publication",
      facts({ callInRequests: [{ receivedAt: ms(GMT_PUBLISHED, -1), valid: true }] }),
      "callInRequests.0",
      /had not been published then/,
    ],
    [
      "a valid request on a draft",
      facts({ publishedAt: null, callInCutoff: null, callInRequests: [{ receivedAt, valid: true }] }),
      "callInRequests.0",
      /had not been published then/,
    ],
    [
      "a valid request on an exempt decision",
      facts({ callInCutoff: null, exemption: RECOMMENDATION, callInRequests: [{ receivedAt, valid: true }] }),
      "callInRequests.0",
      /not subject to call-in \(it is a recommendation to Council\)/,
    ],
    [
      "a scrutiny outcome without a call-in",
      facts({ scrutiny: { outcome: "confirmed", decidedAt } }),
      "scrutiny",
      /never validly called in/,
    ],
    [
      "a scrutiny outcome after an invalid call-in only",
      facts({
        callInRequests: [{ receivedAt, valid: false }],
        scrutiny: { outcome: "referred-back", decidedAt },
      }),
      "scrutiny",
      /never validly called in/,
    ],
    [
      "a scrutiny outcome before the call-in",
      facts({
        callInRequests: [{ receivedAt, valid: true }],
        scrutiny: { outcome: "confirmed", decidedAt: ms(receivedAt, -1) },
      }),
      "scrutiny.decidedAt",
      /is before the decision was called in at 12:00 on Wednesday 22 November 2017/,
    ],
    [
      "implementation during the call-in period",
      facts({ implementedAt: ms(GMT_CUTOFF, -1) }),
      "implementedAt",
      /^recorded as implemented at 23:59:59 on Friday 24 November 2017, but the decision cannot be implemented before the call-in period ends at midnight/,
    ],
    [
      "implementation of a draft",
      facts({ publishedAt: null, callInCutoff: null, implementedAt: decidedAt }),
      "implementedAt",
      /it has not been published/,
    ],
    [
      "implementation while called in",
      facts({ callInRequests: [{ receivedAt, valid: true }], implementedAt: decidedAt }),
      "implementedAt",
      /while it is called in/,
    ],
    [
      "implementation after a referral back",
      facts({
        callInRequests: [{ receivedAt, valid: true }],
        scrutiny: { outcome: "referred-back", decidedAt },
        implementedAt: ms(decidedAt, 1),
      }),
      "implementedAt",
      /referred it back/,
    ],
    [
      "implementation of a recommendation to Council",
      facts({ callInCutoff: null, exemption: RECOMMENDATION, implementedAt: decidedAt }),
      "implementedAt",
      /recommendation to full Council/,
    ],
    [
      "an invalid date",
      facts({ publishedAt: new Date(Number.NaN) }),
      "publishedAt",
      /publishedAt must be a valid date and time/,
    ],
  ])("rejects %s", (_what, f, field, message) => {
    const error = validationErrorOf(() => validateLifecycleFacts(f));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(() => deriveStatus(f, decidedAt)).toThrow(ValidationError);
  });

  it("accepts a draft with only invalid requests, and a draft with no cutoff", () => {
    expect(() =>
      validateLifecycleFacts(
        facts({ publishedAt: null, callInCutoff: null, callInRequests: [{ receivedAt, valid: false }] }),
      ),
    ).not.toThrow();
  });

  it("refuses an invalid instant to derive at", () => {
    expect(validationErrorOf(() => deriveStatus(facts(), new Date(Number.NaN))).field).toBe("at");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties over generated facts.

const T0 = Date.UTC(2017, 10, 20, 10, 0, 0);
const at = (offset: number): Date => new Date(T0 + offset);

const scrutinyOutcomes: ScrutinyOutcome[] = ["confirmed", "referred-back", "referred-to-council"];

/** Consistent facts: every combination the rules allow, on a small time scale so that instants collide. */
const consistentFacts: fc.Arbitrary<LifecycleFacts> = fc
  .record({
    kind: fc.constantFrom("draft", "call-in", "urgent", "recommendation"),
    published: fc.integer({ min: 0, max: 1000 }),
    window: fc.integer({ min: 1, max: 1000 }),
    requests: fc.array(fc.record({ offset: fc.integer({ min: -500, max: 3000 }), valid: fc.boolean() }), {
      maxLength: 4,
    }),
    scrutiny: fc.option(
      fc.record({ outcome: fc.constantFrom(...scrutinyOutcomes), delay: fc.integer({ min: 0, max: 1000 }) }),
    ),
    implementation: fc.option(fc.integer({ min: 0, max: 1000 })),
  })
  .map(({ kind, published, window, requests, scrutiny, implementation }): LifecycleFacts => {
    if (kind === "draft") {
      return {
        publishedAt: null,
        callInCutoff: null,
        exemption: null,
        callInRequests: requests.map((r) => ({ receivedAt: at(r.offset), valid: false })),
        scrutiny: null,
        implementedAt: null,
      };
    }
    const publishedAt = at(published);
    if (kind !== "call-in") {
      return {
        publishedAt,
        callInCutoff: null,
        exemption: kind === "urgent" ? URGENT : RECOMMENDATION,
        callInRequests: requests.map((r) => ({ receivedAt: at(r.offset), valid: false })),
        scrutiny: null,
        implementedAt: kind === "urgent" && implementation !== null ? ms(publishedAt, implementation) : null,
      };
    }
    const cutoff = ms(publishedAt, window);
    const callInRequests = requests.map((r) =>
      r.valid
        ? { receivedAt: ms(publishedAt, Math.abs(r.offset) % window), valid: true }
        : { receivedAt: at(r.offset), valid: false },
    );
    const valid = callInRequests.filter((r) => r.valid).map((r) => r.receivedAt.getTime());
    const calledInAt = valid.length > 0 ? Math.min(...valid) : null;
    const decided =
      calledInAt !== null && scrutiny !== null
        ? { outcome: scrutiny.outcome, decidedAt: new Date(calledInAt + scrutiny.delay) }
        : null;
    const implementableFrom =
      calledInAt === null ? cutoff : decided?.outcome === "confirmed" ? decided.decidedAt : null;
    return {
      publishedAt,
      callInCutoff: cutoff,
      exemption: null,
      callInRequests,
      scrutiny: decided,
      implementedAt:
        implementableFrom !== null && implementation !== null ? ms(implementableFrom, implementation) : null,
    };
  });

/** Every instant where something happens, 1 ms either side, and some others. */
function interestingInstants(f: LifecycleFacts, extra: number[]): Date[] {
  const points = [f.publishedAt, f.callInCutoff, f.scrutiny?.decidedAt ?? null, f.implementedAt]
    .concat(f.callInRequests.map((r) => r.receivedAt))
    .filter((d): d is Date => d !== null)
    .flatMap((d) => [d.getTime() - 1, d.getTime(), d.getTime() + 1]);
  return [...new Set([...points, ...extra.map((e) => T0 + e)])].sort((a, b) => a - b).map((t) => new Date(t));
}

/** What may follow what, directly, as time passes. */
const NEXT: Record<DecisionStatus, DecisionStatus[]> = {
  draft: ["published", "effective", "recommended-to-council"],
  published: ["called-in", "effective"],
  "called-in": ["confirmed", "referred-back", "referred-to-council"],
  effective: ["implemented"],
  confirmed: ["implemented"],
  "referred-back": [],
  "referred-to-council": [],
  implemented: [],
  "recommended-to-council": [],
};

function reachable(from: DecisionStatus): Set<DecisionStatus> {
  const seen = new Set<DecisionStatus>([from]);
  const queue = [from];
  for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
    for (const next of NEXT[s]) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

const extraInstants = fc.array(fc.integer({ min: -2000, max: 6000 }), { maxLength: 8 });

describe("deriveStatus properties", () => {
  it("accepts every consistent set of facts", () => {
    fc.assert(fc.property(consistentFacts, (f) => validateLifecycleFacts(f)));
  });

  it("is a function of the facts: same answer every time, whatever the order of the requests", () => {
    fc.assert(
      fc.property(consistentFacts, extraInstants, (f, extra) => {
        const reversed = { ...f, callInRequests: [...f.callInRequests].reverse() };
        for (const instant of interestingInstants(f, extra)) {
          const once = deriveStatus(f, instant);
          expect(deriveStatus(f, new Date(instant.getTime()))).toEqual(once);
          expect(deriveStatus(reversed, instant)).toEqual(once);
        }
      }),
    );
  });

  it("never goes backwards: each later status is one the rules allow to follow", () => {
    fc.assert(
      fc.property(consistentFacts, extraInstants, (f, extra) => {
        let previous: DecisionStatus | null = null;
        for (const instant of interestingInstants(f, extra)) {
          const { status } = deriveStatus(f, instant);
          if (previous !== null)
            expect(reachable(previous).has(status), `${previous} → ${status}`).toBe(true);
          previous = status;
        }
      }),
    );
  });

  it("once effective without a valid call-in, stays effective or implemented", () => {
    fc.assert(
      fc.property(consistentFacts, extraInstants, (f, extra) => {
        const instants = interestingInstants(f, extra);
        const first = instants.findIndex((i) => deriveStatus(f, i).status === "effective");
        if (first === -1) return;
        expect(f.callInRequests.some((r) => r.valid)).toBe(false);
        for (const instant of instants.slice(first)) {
          expect(["effective", "implemented"]).toContain(deriveStatus(f, instant).status);
        }
      }),
    );
  });

  it("keeps `since` and `until` honest: the status holds on [since, until) and changes at both ends", () => {
    fc.assert(
      fc.property(consistentFacts, extraInstants, (f, extra) => {
        for (const instant of interestingInstants(f, extra)) {
          const derived = deriveStatus(f, instant);
          if (derived.since !== null) {
            expect(derived.since.getTime()).toBeLessThanOrEqual(instant.getTime());
            expect(deriveStatus(f, derived.since).status).toBe(derived.status);
            expect(deriveStatus(f, ms(derived.since, -1)).status).not.toBe(derived.status);
          }
          if (derived.until !== null) {
            expect(derived.until.getTime()).toBeGreaterThan(instant.getTime());
            expect(deriveStatus(f, ms(derived.until, -1)).status).toBe(derived.status);
            expect(deriveStatus(f, derived.until).status).not.toBe(derived.status);
          }
          expect(derived.subjectToCallIn).toBe(f.exemption === null);
          expect(derived.explanation.length).toBeGreaterThan(0);
        }
      }),
    );
  });

  it("allows implementation exactly when the decision is effective or confirmed", () => {
    fc.assert(
      fc.property(consistentFacts, extraInstants, (f, extra) => {
        const withoutImplementation = { ...f, implementedAt: null };
        for (const instant of interestingInstants(f, extra)) {
          const { status } = deriveStatus(withoutImplementation, instant);
          const allowed = IMPLEMENTABLE_STATUSES.includes(status);
          if (allowed) expect(() => assertCanImplement(f, instant)).not.toThrow();
          else expect(() => assertCanImplement(f, instant)).toThrow(ValidationError);
        }
      }),
    );
  });

  it("answers arbitrary facts with a status or a ValidationError, never anything else", () => {
    const instant = fc.option(fc.integer({ min: -2000, max: 6000 }).map(at));
    fc.assert(
      fc.property(
        fc.record({
          publishedAt: instant,
          callInCutoff: instant,
          exemption: fc.constantFrom(null, URGENT, RECOMMENDATION),
          callInRequests: fc.array(
            fc.record({ receivedAt: fc.integer({ min: -2000, max: 6000 }).map(at), valid: fc.boolean() }),
            {
              maxLength: 3,
            },
          ),
          scrutiny: fc.option(
            fc.record({
              outcome: fc.constantFrom(...scrutinyOutcomes),
              decidedAt: fc.integer({ min: -2000, max: 6000 }).map(at),
            }),
          ),
          implementedAt: instant,
        }),
        fc.integer({ min: -2000, max: 6000 }).map(at),
        (f, when) => {
          try {
            validateLifecycleFacts(f);
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            expect(() => deriveStatus(f, when)).toThrow(ValidationError);
            return;
          }
          expect(DECISION_STATUSES).toContain(deriveStatus(f, when).status);
        },
      ),
    );
  });
});
