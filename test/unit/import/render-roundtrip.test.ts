import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decisionRecordSchema } from "../../../src/domain/decision-record.js";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import {
  renderProformaMarkdown,
  renderProformaText,
  renderRecordJson,
} from "../../../src/import/render/render-proforma.js";
import { decisionRecordArbitrary } from "../../support/record-arbitrary.js";

describe("render and parse", () => {
  it("generated records are valid interchange records", () => {
    fc.assert(
      fc.property(decisionRecordArbitrary, (record) => decisionRecordSchema.safeParse(record).success),
    );
  });

  it("parse(renderText(r)) gives back r", () => {
    fc.assert(
      fc.property(decisionRecordArbitrary, (record) => {
        expect(parseProforma(renderProformaText(record)).record).toEqual(record);
      }),
      { numRuns: 300 },
    );
  });

  it("parse(renderJson(r)) through the schema gives back r", () => {
    fc.assert(
      fc.property(decisionRecordArbitrary, (record) => {
        expect(decisionRecordSchema.parse(JSON.parse(renderRecordJson(record)))).toEqual(record);
      }),
    );
  });

  it("Markdown shows every section heading, the outcome words and every item", () => {
    fc.assert(
      fc.property(decisionRecordArbitrary, (record) => {
        const markdown = renderProformaMarkdown(record);
        expect(markdown).toContain("## 3. Reasons for the Decision");
        expect(markdown).toContain("## 7. Date and Time by which Call In must be executed");
        for (const outcome of record.outcomes) {
          expect(markdown).toContain(`**${outcome.kind}**`);
          for (const item of outcome.items)
            expect(markdown).toContain(item.replace(/([\\`*_[\]<>|])/g, "\\$1"));
        }
      }),
      { numRuns: 50 },
    );
  });
});
