import { describe, expect, it } from "vitest";

import type { CallInExemption } from "../../../src/domain/call-in-exemption.js";
import {
  assessCallInRequest,
  parseCallInRequest,
  principleLabel,
  PRINCIPLES_OF_DECISION_MAKING,
  signatoryKey,
  type CallInAssessmentContext,
  type CallInRequest,
} from "../../../src/domain/call-in-request.js";
import { ValidationError } from "../../../src/domain/errors.js";

// Stockton: published Mon 20 Nov 2017, call-in closes at midnight ending Fri 24 Nov 2017 (GMT).
const GMT_CUTOFF = new Date("2017-11-25T00:00:00+00:00");
// Published Tue 19 Jul 2016, call-in closes at midnight ending Mon 25 Jul 2016 (BST).
const BST_CUTOFF = new Date("2016-07-26T00:00:00+01:00");

const RECOMMENDATION: CallInExemption = {
  reason: "recommendation-to-council",
  explanation: "This is a recommendation to full Council.",
};
const URGENT: CallInExemption = { reason: "urgent", explanation: "Urgent, agreed by Cllr Lee." };

function request(overrides: Partial<CallInRequest> = {}): CallInRequest {
  return parseCallInRequest({
    decisionId: "D170123",
    signatories: ["Cllr Ann Lee", "Cllr Bob Khan", "Cllr Cat Jones"],
    grounds: [{ principle: "consultation-and-advice", explanation: "Residents were not consulted." }],
    receivedAt: new Date("2017-11-23T14:30:00Z"),
    ...overrides,
  });
}

const STOCKTON: CallInAssessmentContext = {
  cutoff: GMT_CUTOFF,
  exemption: null,
  minSignatories: 3,
  published: true,
  alreadyCalledIn: false,
  councilName: "Stockton",
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

describe("PRINCIPLES_OF_DECISION_MAKING", () => {
  it("has distinct kebab-case keys and a label for each", () => {
    const keys = PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const principle of PRINCIPLES_OF_DECISION_MAKING) {
      expect(principle.key).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(principleLabel(principle.key)).toBe(principle.label);
    }
    expect(keys).toEqual(
      expect.arrayContaining(["proportionality", "consultation-and-advice", "openness", "clarity-of-aims"]),
    );
  });
});

describe("parseCallInRequest", () => {
  it("trims names and explanations", () => {
    const parsed = request({
      signatories: ["  Cllr Ann Lee ", "Cllr Bob Khan"],
      grounds: [{ principle: "openness", explanation: "  Papers were withheld.  " }],
    });
    expect(parsed.signatories).toEqual(["Cllr Ann Lee", "Cllr Bob Khan"]);
    expect(parsed.grounds).toEqual([{ principle: "openness", explanation: "Papers were withheld." }]);
  });

  it("leaves decisionId optional", () => {
    const parsed = parseCallInRequest({
      signatories: ["Cllr Ann Lee"],
      grounds: [{ principle: "proportionality", explanation: "Too much." }],
      receivedAt: new Date("2017-11-23T14:30:00Z"),
    });
    expect(parsed.decisionId).toBeUndefined();
  });

  it.each([
    ["no signatories", { signatories: [] }, "signatories"],
    ["an empty name", { signatories: ["Cllr Ann Lee", "  "] }, "signatories.1"],
    ["the same name twice", { signatories: ["Cllr Ann Lee", "Cllr Ann Lee"] }, "signatories.1"],
    [
      "the same councillor written differently",
      { signatories: ["Cllr Ann Lee", "councillor ann  LEE"] },
      "signatories.1",
    ],
    ["no grounds", { grounds: [] }, "grounds"],
    [
      "an unknown principle",
      { grounds: [{ principle: "vibes", explanation: "Bad." }] },
      "grounds.0.principle",
    ],
    [
      "a ground without explanation",
      { grounds: [{ principle: "openness", explanation: " " }] },
      "grounds.0.explanation",
    ],
    ["an invalid time", { receivedAt: new Date(Number.NaN) }, "receivedAt"],
    ["a time as a string", { receivedAt: "2017-11-23" }, "receivedAt"],
    ["an empty decision id", { decisionId: " " }, "decisionId"],
    [
      "a NUL in a name (PostgreSQL text cannot hold it)",
      { signatories: ["Cllr Ann\u0000 Lee"] },
      "signatories.0",
    ],
    [
      "a NUL in an explanation",
      { grounds: [{ principle: "openness", explanation: "Papers\u0000 withheld." }] },
      "grounds.0.explanation",
    ],
  ])("rejects %s", (_what, overrides, field) => {
    const error = validationErrorOf(() => request(overrides as Partial<CallInRequest>));
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^call-in request ${field.replace(/\./g, "\\.")}: `));
  });

  it("says who is listed twice", () => {
    expect(() => request({ signatories: ["Cllr Ann Lee", "Councillor Ann Lee"] })).toThrow(
      /Councillor Ann Lee is listed more than once \(as "Cllr Ann Lee" and "Councillor Ann Lee"\)/,
    );
  });
});

describe("signatoryKey", () => {
  it("ignores case, spacing and the councillor's title", () => {
    expect(signatoryKey("Cllr Ann Lee")).toBe("ann lee");
    expect(signatoryKey("Cllr. Ann Lee")).toBe("ann lee");
    expect(signatoryKey("  COUNCILLOR  Ann   Lee ")).toBe("ann lee");
    expect(signatoryKey("Ann Lee")).toBe("ann lee");
    expect(signatoryKey("Cllrs Lee")).toBe("cllrs lee");
  });
});

describe("assessCallInRequest: timing (the window closes AT the cutoff)", () => {
  it("accepts a request 1 ms before the cutoff", () => {
    const assessment = assessCallInRequest(
      request({ receivedAt: new Date(GMT_CUTOFF.getTime() - 1) }),
      STOCKTON,
    );
    expect(assessment).toEqual({ valid: true, reasons: [] });
  });

  it("refuses a request received exactly at the cutoff", () => {
    const assessment = assessCallInRequest(request({ receivedAt: GMT_CUTOFF }), STOCKTON);
    expect(assessment).toEqual({
      valid: false,
      reasons: [
        "received at 00:00 on Saturday 25 November 2017, the moment call-in closed (midnight at the end of " +
          "Friday 24 November 2017); a request must arrive before then",
      ],
    });
  });

  it("refuses a request 12 minutes late, in plain English", () => {
    const assessment = assessCallInRequest(
      request({ receivedAt: new Date("2017-11-25T00:12:00Z") }),
      STOCKTON,
    );
    expect(assessment.reasons).toEqual([
      "received at 00:12 on Saturday 25 November 2017, after call-in closed at midnight at the end of Friday 24 November 2017",
    ]);
  });

  it("shows seconds when they matter", () => {
    const assessment = assessCallInRequest(
      request({ receivedAt: new Date(GMT_CUTOFF.getTime() + 30_000) }),
      STOCKTON,
    );
    expect(assessment.reasons[0]).toMatch(/^received at 00:00:30 on Saturday 25 November 2017, after/);
  });

  it("uses UK summer time for a BST cutoff", () => {
    const context = { ...STOCKTON, cutoff: BST_CUTOFF };
    expect(
      assessCallInRequest(request({ receivedAt: new Date("2016-07-25T22:59:59.999Z") }), context).valid,
    ).toBe(true);
    const late = assessCallInRequest(request({ receivedAt: new Date("2016-07-25T23:05:00Z") }), context);
    expect(late.reasons).toEqual([
      "received at 00:05 on Tuesday 26 July 2016, after call-in closed at midnight at the end of Monday 25 July 2016",
    ]);
  });

  it("words a daytime cutoff by its time (Salford 16:00, Central Bedfordshire midday)", () => {
    const salford = { ...STOCKTON, cutoff: new Date("2019-07-05T16:00:00+01:00") };
    expect(
      assessCallInRequest(request({ receivedAt: new Date("2019-07-05T15:10:00Z") }), salford).reasons,
    ).toEqual([
      "received at 16:10 on Friday 5 July 2019, after call-in closed at 16:00 on Friday 5 July 2019",
    ]);
    const bedfordshire = { ...STOCKTON, cutoff: new Date("2019-02-08T12:00:00Z") };
    expect(
      assessCallInRequest(request({ receivedAt: new Date("2019-02-08T12:01:00Z") }), bedfordshire).reasons,
    ).toEqual([
      "received at 12:01 on Friday 8 February 2019, after call-in closed at midday on Friday 8 February 2019",
    ]);
  });
});

describe("assessCallInRequest: signatories", () => {
  it("refuses too few signatories, naming the council", () => {
    const assessment = assessCallInRequest(
      request({ signatories: ["Cllr Ann Lee", "Cllr Bob Khan"] }),
      STOCKTON,
    );
    expect(assessment).toEqual({
      valid: false,
      reasons: ["signed by 2 councillors; Stockton requires at least 3"],
    });
  });

  it("says 'councillor' for one and 'the council' when not named", () => {
    const { councilName: _unnamed, ...context } = STOCKTON;
    const assessment = assessCallInRequest(request({ signatories: ["Cllr Ann Lee"] }), context);
    expect(assessment.reasons).toEqual(["signed by 1 councillor; the council requires at least 3"]);
  });

  it("accepts exactly the minimum, and a council that lets one councillor call in", () => {
    expect(assessCallInRequest(request(), STOCKTON).valid).toBe(true);
    expect(
      assessCallInRequest(request({ signatories: ["Cllr Ann Lee"] }), { ...STOCKTON, minSignatories: 1 })
        .valid,
    ).toBe(true);
  });

  it("counts a councillor who signed twice once (a request built without the parser)", () => {
    const handBuilt: CallInRequest = {
      ...request(),
      signatories: ["Cllr Ann Lee", "Cllr Bob Khan", "councillor ann lee"],
    };
    expect(assessCallInRequest(handBuilt, STOCKTON).reasons).toEqual([
      "signed by 2 councillors (Cllr Ann Lee signed more than once and is counted once); Stockton requires at least 3",
    ]);
    // Enough distinct names remain: the repetition alone does not make it invalid.
    expect(assessCallInRequest(handBuilt, { ...STOCKTON, minSignatories: 2 }).valid).toBe(true);
  });

  it("refuses a nonsensical minimum (configuration error)", () => {
    for (const minSignatories of [0, -1, 2.5, Number.NaN]) {
      const error = validationErrorOf(() => assessCallInRequest(request(), { ...STOCKTON, minSignatories }));
      expect(error.field).toBe("minSignatories");
    }
  });
});

describe("assessCallInRequest: the decision", () => {
  it("refuses a call-in of a recommendation to Council, whatever the time", () => {
    const context = { ...STOCKTON, cutoff: null, exemption: RECOMMENDATION };
    expect(assessCallInRequest(request(), context)).toEqual({
      valid: false,
      reasons: ["this decision is a recommendation to Council and is not subject to call-in"],
    });
  });

  it("refuses a call-in of an urgent decision", () => {
    const context = { ...STOCKTON, cutoff: null, exemption: URGENT };
    expect(assessCallInRequest(request(), context).reasons).toEqual([
      "this decision was taken as urgent and is not subject to call-in",
    ]);
  });

  it("refuses a call-in of an unpublished decision", () => {
    const context = { ...STOCKTON, cutoff: null, published: false };
    expect(assessCallInRequest(request(), context).reasons).toEqual([
      "the decision had not been published when the request was received",
    ]);
  });

  it("refuses a second call-in of a decision already called in", () => {
    expect(assessCallInRequest(request(), { ...STOCKTON, alreadyCalledIn: true }).reasons).toEqual([
      "the decision has already been called in by an earlier valid request",
    ]);
  });

  it("reports every reason, not just the first", () => {
    const assessment = assessCallInRequest(
      request({ signatories: ["Cllr Ann Lee"], receivedAt: new Date("2017-11-25T09:00:00Z") }),
      { ...STOCKTON, alreadyCalledIn: true },
    );
    expect(assessment.valid).toBe(false);
    expect(assessment.reasons).toEqual([
      "the decision has already been called in by an earlier valid request",
      "received at 09:00 on Saturday 25 November 2017, after call-in closed at midnight at the end of Friday 24 November 2017",
      "signed by 1 councillor; Stockton requires at least 3",
    ]);
  });

  it("reports missing grounds on a request built without the parser", () => {
    const handBuilt: CallInRequest = { ...request(), grounds: [] };
    expect(assessCallInRequest(handBuilt, STOCKTON).reasons).toEqual([
      "no grounds given: a call-in must say which principles of decision making were not followed",
    ]);
    const badGround = {
      ...request(),
      grounds: [{ principle: "vibes", explanation: "" }],
    } as unknown as CallInRequest;
    expect(assessCallInRequest(badGround, STOCKTON).reasons).toEqual([
      'ground 1 ("vibes") is not a principle of decision making',
      "ground 1 does not say how the decision failed to follow the principle",
    ]);
  });

  it("cannot assess a published decision subject to call-in without its cutoff", () => {
    const error = validationErrorOf(() => assessCallInRequest(request(), { ...STOCKTON, cutoff: null }));
    expect(error.field).toBe("cutoff");
  });

  it("cannot assess a request without a valid time", () => {
    const handBuilt: CallInRequest = { ...request(), receivedAt: new Date(Number.NaN) };
    expect(validationErrorOf(() => assessCallInRequest(handBuilt, STOCKTON)).field).toBe("receivedAt");
  });
});
