import { readFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decisionRecordSchema } from "../../../src/domain/decision-record.js";
import { addDecisionVersion } from "../../../src/services/decision-changes/index.js";
import { importDocument } from "../../../src/services/import/index.js";
import type { OpenApiDocument } from "../../../src/web/api/openapi.js";
import {
  decisionDetailSchema,
  decisionVersionSchema,
  statedRecordSchema,
} from "../../../src/web/api/schemas.js";
import { useTestDatabase } from "../backends.js";
import { seedDecision, stocktonRecord } from "../services/register-fixtures.js";
import { startTestApp } from "./test-app.js";

// The fields the newer importer layouts read (purpose, date of decision, key decision, status as printed,
// wards, effective from, subject to call-in, the decision maker's kind, and the fields made up because the
// document did not state them), on the decision page and in the API; and a record without them showing none.

const t = useTestDatabase({ reset: "manual" });
const NOW = new Date("2026-11-22T12:00:00Z");
const MODERNGOV = new URL("../../fixtures/moderngov/", import.meta.url);
const NEW_FIELDS = [
  "decidedOn",
  "keyDecision",
  "subjectToCallIn",
  "effectiveFrom",
  "statusAsPrinted",
  "purpose",
  "wardsAffected",
  "decisionMakerKind",
] as const;

let app: FastifyInstance;
let gritting: number;
let householdFund: number;
let madeUpTitle: number;
let older: number;

/** Text without tags, runs of white space as one space. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function mainText(html: string): string {
  return plain(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? "");
}

/** The first summary list's rows (the decision's facts), key → value as text. */
function summaryRows(html: string): Record<string, string> {
  const list = /<dl class="govuk-summary-list[\s\S]*?<\/dl>/.exec(html)?.[0] ?? "";
  const rows: Record<string, string> = {};
  for (const [, key, value] of list.matchAll(
    /<dt class="govuk-summary-list__key">([\s\S]*?)<\/dt>\s*<dd class="govuk-summary-list__value">([\s\S]*?)<\/dd>/g,
  )) {
    rows[plain(key!)] = plain(value!);
  }
  return rows;
}

async function page(id: number): Promise<{ html: string; text: string; rows: Record<string, string> }> {
  const response = await app.inject({ url: `/decisions/${id}` });
  expect(response.statusCode).toBe(200);
  return { html: response.body, text: mainText(response.body), rows: summaryRows(response.body) };
}

async function importFixture(name: string): Promise<number> {
  const bytes = await readFile(new URL(name, MODERNGOV));
  const result = await importDocument(t.database, { bytes, fileName: name }, { actor: "test:record-fields" });
  expect(result.outcome).toBe("imported");
  return result.decisionId;
}

beforeAll(async () => {
  await t.resetDatabase();
  gritting = await importFixture("someshire-winter-gritting-contract.txt");
  householdFund = await importFixture("household-support-fund-cabinet.html");
  madeUpTitle = (
    await seedDecision(
      t.database,
      stocktonRecord({
        recordId: "D250031",
        title: "To review the charges for garden waste collections",
        meetingDate: "2025-03-04",
        decidedOn: "2025-03-06",
        publishedOn: "2025-03-07",
        body: "Cabinet Member for Environment",
        decisionMakerKind: "executive-member",
        purpose: "To review the charges for garden waste collections.\n\nThe charge was last set in 2022.",
        keyDecision: false,
        subjectToCallIn: true,
        effectiveFrom: null,
        statusAsPrinted: null,
        wardsAffected: null,
        madeUp: ["title"],
      }),
    )
  ).id;
  // Written before the fields existed: it has none of them.
  older = (await seedDecision(t.database, stocktonRecord())).id;
  app = await startTestApp(t.database, () => NOW);
});

afterAll(async () => {
  await app?.close();
});

describe("the decision page", () => {
  it("shows an officer's decision, not taken at a meeting and with no publication date printed", async () => {
    const { html, text, rows } = await page(gritting);
    expect(rows).toMatchObject({
      "Decision maker": "Director of Environment and Transport Decision of an officer",
      Meeting: "Not decided at a meeting",
      "Date of decision": "14 November 2024",
      Published: "14 November 2024 No publication date printed; the date of decision is shown",
      "Status as printed by the council": "Recommendations Approved (subject to call-in)",
      "Subject to call-in": "No (as stated by the council)",
      "Effective from": "22 November 2024",
      "Wards affected": "Ashcombe Bradleigh Coldharbour",
    });
    // The document has no "Is Key decision?" answer: the register does not guess one.
    expect(rows).not.toHaveProperty("Key decision");
    expect(html).toMatch(/<li>Ashcombe<\/li>\s*<li>Bradleigh<\/li>\s*<li>Coldharbour<\/li>/);
    expect(text).toContain("Director of Environment and Transport, not at a meeting, 14 November 2024");
    expect(text).toContain("Decided 14 November 2024 (no publication date printed)");
    // The purpose comes before the decision text.
    const purpose = text.indexOf("Purpose To award the contract for winter gritting");
    expect(purpose).toBeGreaterThan(-1);
    expect(purpose).toBeLessThan(text.indexOf("2. Record of the Decision"));
    expect(text).not.toContain("Title not printed in the original");
    // Stated as a field only: the call-in section follows it rather than working out a deadline.
    const callIn = text.slice(text.indexOf("Call-in"));
    expect(callIn).toContain("This decision is not subject to call-in.");
    expect(callIn).toContain("The record as published says the decision is not subject to call-in.");
    expect(callIn).not.toContain("Councillors could call this decision in");
  });

  it("shows a Cabinet decision's stated key decision, status, wards and effective date", async () => {
    const { text, rows } = await page(householdFund);
    expect(rows).toMatchObject({
      "Decision maker": "Cabinet",
      Meeting: "10 September 2024",
      Published: "12 September 2024",
      "Key decision": "Yes",
      "Status as printed by the council": "Recommendations Approved (subject to call-in)",
      "Effective from": "20 September 2024",
      "Wards affected": "All Wards",
    });
    // Decided at the meeting; subject to call-in (the call-in section says so).
    expect(rows).not.toHaveProperty("Date of decision");
    expect(rows).not.toHaveProperty("Subject to call-in");
    expect(text).toContain("Purpose To agree how the Council will spend its allocation");
    expect(text).not.toContain("No publication date printed");
  });

  it("says when the title was made up, and shows an executive member's date of decision", async () => {
    const { text, rows } = await page(madeUpTitle);
    expect(text).toContain("Title not printed in the original; made from its purpose.");
    expect(rows).toMatchObject({
      "Decision maker": "Cabinet Member for Environment Decision of an executive member",
      Meeting: "4 March 2025",
      "Date of decision": "6 March 2025",
      "Key decision": "No",
    });
    expect(text).toContain(
      "Purpose To review the charges for garden waste collections. The charge was last set",
    );
    for (const key of [
      "Status as printed by the council",
      "Subject to call-in",
      "Effective from",
      "Wards affected",
    ]) {
      expect(rows, key).not.toHaveProperty(key);
    }
  });

  it("shows none of them for a record without the fields", async () => {
    const { text, rows } = await page(older);
    expect(Object.keys(rows)).toEqual([
      "Decision maker",
      "Meeting",
      "Council",
      "Published",
      "Document",
      "Record number",
      "Key decision",
      "Version",
    ]);
    // The register's own flag (the proforma has no such question).
    expect(rows["Key decision"]).toBe("No");
    expect(rows["Decision maker"]).toBe("Cabinet");
    for (const words of [
      "Purpose",
      "Decision of an",
      "Not decided at a meeting",
      "not printed",
      "as stated by the council",
      "Date of decision",
    ]) {
      expect(text, words).not.toContain(words);
    }
    expect(text).toContain("Cabinet meeting, 16 November 2017");
  });
});

describe("the API", () => {
  it("gives every new field, as the document stated it", async () => {
    const response = await app.inject({ url: `/api/v1/decisions/${gritting}` });
    expect(response.statusCode).toBe(200);
    const body = decisionDetailSchema.parse(response.json());
    decisionRecordSchema.parse(body.data);
    expect(body.data).toMatchObject({
      decidedOn: "2024-11-14",
      keyDecision: false,
      keyDecisionAsPrinted: null,
      subjectToCallIn: false,
      effectiveFrom: "2024-11-22",
      statusAsPrinted: "Recommendations Approved (subject to call-in)",
      wardsAffected: ["Ashcombe", "Bradleigh", "Coldharbour"],
      decisionMakerKind: "officer",
      madeUp: ["meetingDate", "publishedOn"],
      source: { part: 1, layout: "moderngov-decision" },
    });
    expect(body.data.purpose).toMatch(/^To award the contract for winter gritting/);
    expect(body.data.callIn).toMatchObject({ subjectToCallIn: false, governingDeadline: null, cutoff: null });
    const fund = decisionDetailSchema.parse(
      (await app.inject({ url: `/api/v1/decisions/${householdFund}` })).json(),
    );
    expect(fund.data).toMatchObject({ keyDecision: true, keyDecisionAsPrinted: true, madeUp: [] });
  });

  it("gives them as null (madeUp empty) for a record without them, never leaving them out", async () => {
    const detail = (await app.inject({ url: `/api/v1/decisions/${older}` })).json() as {
      data: Record<string, unknown>;
    };
    for (const field of [...NEW_FIELDS.filter((f) => f !== "keyDecision"), "keyDecisionAsPrinted"]) {
      expect(detail.data, field).toHaveProperty(field, null);
    }
    expect(detail.data).toHaveProperty("keyDecision", false);
    expect(detail.data).toHaveProperty("madeUp", []);
    decisionDetailSchema.parse(detail);

    const version = (await app.inject({ url: `/api/v1/decisions/${older}/versions/1` })).json() as {
      data: { record: Record<string, unknown> };
    };
    for (const field of NEW_FIELDS) expect(version.data.record, field).toHaveProperty(field, null);
    expect(version.data.record).toHaveProperty("madeUp", []);
    decisionRecordSchema.parse(decisionVersionSchema.parse(version).data.record);
  });

  it("describes them in the OpenAPI document as always present", async () => {
    const document = (await app.inject({ url: "/api/openapi.json" })).json() as OpenApiDocument;
    const schemas = document.components.schemas as Record<
      string,
      { properties?: Record<string, { description?: string }>; required?: string[] }
    >;
    const decision = schemas.Decision!.properties!.data as {
      properties: Record<string, { description?: string }>;
      required: string[];
    };
    for (const field of [...NEW_FIELDS, "madeUp", "keyDecisionAsPrinted"]) {
      expect(decision.properties[field]?.description, field).toBeTruthy();
      expect(decision.required, field).toContain(field);
    }
    expect(JSON.stringify(decision.properties.decisionMakerKind)).toContain("executive-member");
    expect(JSON.stringify(decision.properties.madeUp)).toContain("publishedOn");
  });
});

describe("a correction of a record without the fields", () => {
  it("given back as the API shows it, changes only what was changed; a stated field can be added", async () => {
    const { id } = await seedDecision(t.database, stocktonRecord({ recordId: "D170050" }));
    const version = (await app.inject({ url: `/api/v1/decisions/${id}/versions/1` })).json() as {
      data: { record: unknown };
    };
    const shown = statedRecordSchema.parse(version.data.record);
    const same = await t.database
      .transaction((trx) =>
        addDecisionVersion(trx, id, shown, { reason: "No change", actor: "test:record-fields" }),
      )
      .catch((error: unknown) => error);
    expect(String(same)).toContain("nothing changed");

    const corrected = await t.database.transaction((trx) =>
      addDecisionVersion(
        trx,
        id,
        { ...shown, reasons: "To keep the budget balanced in 2018.", purpose: "To update the plan." },
        { reason: "Section 3 and the purpose were missing", actor: "test:record-fields" },
      ),
    );
    expect(corrected.changedFields.sort()).toEqual(["purpose", "reasons"]);
    const audit = await t.db
      .selectFrom("auditLog")
      .select("details")
      .where("action", "=", "decision.version-added")
      .where("entityId", "=", String(id))
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      before: { purpose: null },
      after: { purpose: "To update the plan." },
    });
    expect((await page(id)).text).toContain("Purpose To update the plan.");
  });
});
