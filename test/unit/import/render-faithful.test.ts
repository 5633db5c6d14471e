import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import { renderProformaText } from "../../../src/import/render/render-proforma.js";

const withoutWhitespace = (text: string) => text.replace(/\s+/g, "");

describe("rendering a parsed proforma", () => {
  // Documents already in the proforma layout: what the renderer writes is the same text but for
  // whitespace (blank lines, a sentence split across a blank line joined, "Meeting15th" spaced).
  it.each(["q3-childrens-performance.txt", "mtfp-decision-proforma.txt", "lcwip-curly-quotes.txt"])(
    "%s gives back its content with only whitespace differences",
    (name) => {
      const original = readFileSync(new URL(`../../fixtures/text/${name}`, import.meta.url), "utf8");
      const rendered = renderProformaText(parseProforma(original).record);
      expect(withoutWhitespace(rendered)).toBe(withoutWhitespace(original));
    },
  );
});
