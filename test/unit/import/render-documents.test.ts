import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { extractText as pdfPageTexts, extractTextItems, getDocumentProxy, getMeta } from "unpdf";
import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../../src/domain/decision-record.js";
import { extractText } from "../../../src/import/extract/index.js";
import { entryText, readZip } from "../../../src/import/extract/zip-archive.js";
import { parseProforma } from "../../../src/import/proforma-parser.js";
import { renderProformaDocx } from "../../../src/import/render/render-docx.js";
import { recordAsReadFromPdf, renderProformaPdf } from "../../../src/import/render/render-pdf.js";
import { decisionRecordArbitrary } from "../../support/record-arbitrary.js";

const FIXTURES = new URL("../../fixtures/text/", import.meta.url);
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith(".txt"));

function fixtureRecord(name: string): DecisionRecord {
  return parseProforma(readFileSync(new URL(name, FIXTURES), "utf8")).record;
}

/** The record our importer makes of a file (the parser fills `source` only when told the file). */
async function importBack(bytes: Uint8Array, fileName: string): Promise<DecisionRecord> {
  return parseProforma((await extractText(bytes, fileName)).text).record;
}

const withoutSource = (record: DecisionRecord): DecisionRecord => ({ ...record, source: null });

/** A record long enough for several pages: the narrative is the fixture's, twelve times over. */
function longRecord(): DecisionRecord {
  const record = fixtureRecord("mtfp-decision-proforma.txt");
  const narrative = Array.from({ length: 12 }, () => record.record).join("\n\n");
  return { ...record, record: narrative };
}

/**
 * Shapes the generated records do not have: roman and bracketed lists, "-" bullets, lettered
 * sub-points inside a numbered resolution, a record number, and a document type with an acronym
 * (which capitals would turn into "Ict").
 */
function listsRecord(): DecisionRecord {
  const record = fixtureRecord("mtfp-decision-proforma.txt");
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "The fees set out in the report be approved, namely:\na. residential care at £812.50 a week;\nb. nursing care at £890.00 a week.",
      "The Director of Adults, Health and Wellbeing be authorised to agree the detailed terms with providers.",
    ],
  };
  return {
    ...record,
    documentType: "Executive Decision Record – ICT",
    recordId: "CAB/41/25",
    record: [
      "The report set out three options:",
      "(i) to do nothing;\n(ii) to extend the current contract for twelve months; and\n(iii) to procure a new contract.",
      "The scheme would cover:",
      "- vans;\n- pick-ups and trailers.",
      "The following would apply from 1 April:",
      "1) the charges in Appendix A;\n2) the exemptions in Appendix B.",
    ].join("\n\n"),
    outcome,
    outcomes: [outcome],
  };
}

/**
 * Names of people and places as councils in England and Wales write them: Welsh, Irish and Polish
 * letters, Greek and Cyrillic names, and the "≥" sign. (Not Chinese, Japanese or Korean: DejaVu
 * Sans, the PDF's font, does not cover them.)
 */
function namesRecord(): DecisionRecord {
  const record = fixtureRecord("mtfp-decision-proforma.txt");
  const outcome = {
    kind: "RESOLVED",
    text: "that:-",
    items: [
      "Grants of £5,000 or more (≥ £5,000) to Gŵyl Dewi Ynys Môn be approved.",
      "The twinning visit to Łódź be led by Cllr Seán Ó Briain and Cllr Máire Ní Bhriain.",
    ],
  };
  return {
    ...record,
    title: "Gŵyl Dewi – Łódź Twinning Plan 2025",
    record: [
      "Cllr Llŷr Gruffydd presented the report on Gŵyl Dewi (St David’s Day) in Ynys Môn.",
      "The Mayor of Łódź had written to the Council (“Zażółć gęślą jaźń”), and Σοφία Παπαδοπούλου and Олександр Шевченко spoke for the partner towns.",
    ].join("\n\n"),
    outcome,
    outcomes: [outcome],
    conflictsOfInterest: "Cllr Σοφία Παπαδοπούλου declared an interest as a trustee of Gŵyl Dewi Ynys Môn.",
    dispensations: "Cllr Олександр Шевченко was granted a dispensation to speak.",
    signedBy: "Seán Ó Briain, Proper Officer",
  };
}

describe("names in Welsh, Irish, Polish, Greek and Cyrillic", () => {
  it("are printed in the PDF as written and read back unchanged", async () => {
    const record = namesRecord();
    // Nothing is lost on the way through the PDF's fonts.
    expect(recordAsReadFromPdf(record)).toEqual(record);
    const bytes = await renderProformaPdf(record);
    expect(await importBack(bytes, "r.pdf")).toEqual(withoutSource(record));
    const { info } = await getMeta(new Uint8Array(bytes));
    expect(info).toMatchObject({ Title: "Gŵyl Dewi – Łódź Twinning Plan 2025" });
  });

  it("are written in the Word document as written and read back unchanged", async () => {
    const record = namesRecord();
    expect(await importBack(renderProformaDocx(record), "r.docx")).toEqual(withoutSource(record));
  });
});

describe("Word (.docx) download", () => {
  it("reads back through our importer as the same record", async () => {
    await fc.assert(
      fc.asyncProperty(decisionRecordArbitrary, async (record) => {
        expect(await importBack(renderProformaDocx(record), "r.docx")).toEqual(record);
      }),
      { numRuns: 25 },
    );
  });

  it.each(fixtureNames)("%s reads back as the same record", async (name) => {
    const record = fixtureRecord(name);
    expect(await importBack(renderProformaDocx(record), "r.docx")).toEqual(withoutSource(record));
  });

  it("reads back other list styles, sub-points and an acronym in the document type", async () => {
    const record = listsRecord();
    expect(await importBack(renderProformaDocx(record), "r.docx")).toEqual(withoutSource(record));
  });

  it("is the same bytes every time", () => {
    fc.assert(
      fc.property(decisionRecordArbitrary, (record) => {
        expect(renderProformaDocx(record)).toEqual(renderProformaDocx(structuredClone(record)));
      }),
      { numRuns: 10 },
    );
  });

  it("is a WordprocessingML package with its parts and content types declared", () => {
    const record = fixtureRecord("mtfp-decision-proforma.txt");
    const entries = readZip(renderProformaDocx(record));
    const part = (name: string) => {
      const entry = entries.get(name);
      expect(entry, name).toBeDefined();
      return entryText(entry!);
    };
    expect([...entries.keys()]).toEqual(
      expect.arrayContaining([
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/numbering.xml",
        "docProps/core.xml",
      ]),
    );
    const types = part("[Content_Types].xml");
    // The content type declared for a part, whatever the order of the attributes.
    const typeOf = (partName: string) =>
      [...types.matchAll(/<Override\b[^>]*>/g)]
        .map((m) => m[0])
        .find((o) => o.includes(`PartName="${partName}"`))
        ?.match(/ContentType="([^"]*)"/)?.[1];
    expect(typeOf("/word/document.xml")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    );
    expect(typeOf("/word/styles.xml")).toBeDefined();
    expect(typeOf("/word/numbering.xml")).toBeDefined();
    expect(typeOf("/docProps/core.xml")).toBe("application/vnd.openxmlformats-package.core-properties+xml");
    expect(types).toMatch(/<Default [^>]*Extension="rels"/);
    expect(part("_rels/.rels")).toContain('Target="word/document.xml"');
    expect(part("word/_rels/document.xml.rels")).toContain('Target="numbering.xml"');

    const core = part("docProps/core.xml");
    expect(core).toContain(`<dc:title>${record.title}</dc:title>`);
    expect(core).toContain("<dc:creator>Stockton-on-Tees Borough Council</dc:creator>");
    expect(core).toContain("<dc:subject>Cabinet Decision Proforma</dc:subject>");
    expect(core).toContain(">2023-02-13T00:00:00Z</dcterms:created>");

    const document = part("word/document.xml");
    expect(document).toContain('<w:pStyle w:val="Heading1"/>');
    expect(document.match(/<w:pStyle w:val="Heading2"\/>/g)).toHaveLength(7);
    // A4 portrait with 2 cm margins.
    expect(document).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(document).toContain('w:top="1134" w:right="1134" w:bottom="1134" w:left="1134"');
    // Lettered points and numbered resolutions are Word lists, each restarted: the three lists
    // (a.–c., and the two resolutions) each have a numbering instance that starts again at 1.
    const numbering = part("word/numbering.xml");
    expect(numbering).toContain('<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1."/>');
    expect(numbering).toContain('<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>');
    const used = new Set([...document.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]));
    expect(used.size).toBe(3);
    for (const numId of used) {
      expect(numbering).toMatch(
        new RegExp(`<w:num w:numId="${numId}">(?:(?!</w:num>).)*<w:startOverride w:val="1"/>`),
      );
    }
    expect(part("word/styles.xml")).toContain('<w:lang w:val="en-GB"');
  });

  it("escapes XML and keeps curly quotes, dashes and the pound sign", async () => {
    const record = {
      ...fixtureRecord("lcwip-curly-quotes.txt"),
      title: "Fees & Charges <2024–25> at £1.2m for “Fair Deal”",
    };
    const bytes = renderProformaDocx(record);
    const document = entryText(readZip(bytes).get("word/document.xml")!);
    expect(document).toContain("Fees &amp; Charges &lt;2024–25&gt; at £1.2m for “Fair Deal”");
    expect(await importBack(bytes, "r.docx")).toEqual(withoutSource(record));
  });

  it("types markers Word cannot count, and reads them back", async () => {
    const record = fixtureRecord("cab-41-25-flood-strategy.txt");
    const document = entryText(readZip(renderProformaDocx(record)).get("word/document.xml")!);
    expect(document).toMatch(/<w:t[^>]*>•<\/w:t><w:tab\/>/);
    expect(record.record).toContain("\n• managing the likelihood");
  });
});

describe("PDF download", () => {
  it("reads back through our importer as the same record", async () => {
    await fc.assert(
      fc.asyncProperty(decisionRecordArbitrary, async (record) => {
        expect(await importBack(await renderProformaPdf(record), "r.pdf")).toEqual(record);
      }),
      { numRuns: 25 },
    );
  });

  it.each(fixtureNames)("%s reads back as the same record", async (name) => {
    const record = fixtureRecord(name);
    // Our PDF importer reads every bullet glyph ("•", and Word's Symbol-font bullets) as "-",
    // so a record with "•" items comes back with "-" items; nothing else may change.
    expect(await importBack(await renderProformaPdf(record), "r.pdf")).toEqual(
      withoutSource(recordAsReadFromPdf(record)),
    );
  });

  it("reads back other list styles, sub-points and an acronym in the document type", async () => {
    const record = listsRecord();
    expect(await importBack(await renderProformaPdf(record), "r.pdf")).toEqual(withoutSource(record));
  });

  it("is the same bytes every time", async () => {
    await fc.assert(
      fc.asyncProperty(decisionRecordArbitrary, async (record) => {
        expect(await renderProformaPdf(record)).toEqual(await renderProformaPdf(structuredClone(record)));
      }),
      { numRuns: 10 },
    );
  });

  it("is a complete PDF with the record's metadata", async () => {
    const record = fixtureRecord("lcwip-curly-quotes.txt");
    const bytes = await renderProformaPdf(record);
    const raw = new TextDecoder("latin1").decode(bytes);
    expect(raw.startsWith("%PDF-")).toBe(true);
    expect(raw.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(raw).toContain("/Lang (en-GB)");
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
    // The fonts are embedded (subset): no reader has to stand in for them.
    expect(raw.match(/\/FontFile2 /g)).toHaveLength(2);
    expect(raw).not.toContain("/Helvetica");

    const { info } = await getMeta(new Uint8Array(bytes));
    expect(info).toMatchObject({
      Title: "Local Cycling and Walking Infrastructure Plan 2024–2034",
      Author: "Stockton-on-Tees Borough Council",
      Subject: "Cabinet Decision Proforma",
      CreationDate: "D:20240619000000Z",
    });
  });

  it("keeps curly quotes, en dashes and the pound sign", async () => {
    // Lines joined, wherever they were wrapped.
    const text = (
      await extractText(await renderProformaPdf(fixtureRecord("lcwip-curly-quotes.txt")), "r.pdf")
    ).text.replace(/\n/g, " ");
    expect(text).toContain("the “quick wins” suggested");
    expect(text).toContain("Plan 2024–2034");
    expect(text).toContain("Borough’s draft");
    const permits = await renderProformaPdf(fixtureRecord("haverton-hill-permits-pdf.txt"));
    expect((await extractText(permits, "r.pdf")).text.replace(/\n/g, " ")).toContain("£180,000 a year");
  });

  it("runs a long record over pages, each with 'Page N of M', and reads it back whole", async () => {
    const record = longRecord();
    const bytes = await renderProformaPdf(record);
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const pages = pdf.numPages;
    expect(pages).toBeGreaterThanOrEqual(3);
    const { text } = await pdfPageTexts(pdf, { mergePages: false });
    text.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages}`));
    expect(text[0]).toContain("Page 1 of");
    expect(await importBack(bytes, "r.pdf")).toEqual(withoutSource(record));
  });

  it("keeps every line inside the 2 cm margins and clear of the top and bottom 2.5 cm", async () => {
    for (const record of [longRecord(), listsRecord()]) {
      const { items } = await extractTextItems(new Uint8Array(await renderProformaPdf(record)));
      expect(items.flat().length).toBeGreaterThan(50);
      for (const item of items.flat().filter((i) => i.str.trim() !== "" && !/^Page \d+ of/.test(i.str))) {
        expect(item.x, item.str).toBeGreaterThanOrEqual(56.6);
        expect(item.x + item.width, item.str).toBeLessThanOrEqual(595.28 - 56.6);
        expect(item.y, item.str).toBeGreaterThanOrEqual(70.8);
        expect(item.y, item.str).toBeLessThanOrEqual(841.89 - 70.8);
      }
    }
  });

  it("is tagged: headings, paragraphs and lists in a structure tree", async () => {
    const bytes = await renderProformaPdf(fixtureRecord("mtfp-decision-proforma.txt"));
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    const roles = new Set<string>();
    const walk = (node: { role?: string; children?: unknown[] }) => {
      if (node.role) roles.add(node.role);
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    walk((await (await pdf.getPage(1)).getStructTree()) as { children?: unknown[] });
    expect([...roles]).toEqual(
      expect.arrayContaining(["Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody"]),
    );
  });
});
