import { describe, expect, it } from "vitest";
import { toSourceLines, type SourceLine } from "../../../src/import/document-lines.js";
import {
  blocksToText,
  estimateWrapWidth,
  hyphenatedCompounds,
  joinLines,
  listItemMarker,
  toBlocks,
  type Block,
} from "../../../src/import/paragraphs.js";

function numbered(...texts: string[]): SourceLine[] {
  return texts.map((text, i) => ({ text, line: i + 1 }));
}

function texts(blocks: Block[]): string[] {
  return blocks.map((b) => (b.kind === "item" ? `${b.marker} ${b.text}` : b.text));
}

describe("toSourceLines", () => {
  it("trims lines, turns odd spaces into one space and keeps line numbers", () => {
    expect(toSourceLines("\uFEFF  Cabinet\u00A0 Meeting\t16th November 2017 \r\n\r\nN/A")).toEqual([
      { text: "Cabinet Meeting 16th November 2017", line: 1 },
      { text: "", line: 2 },
      { text: "N/A", line: 3 },
    ]);
  });

  it("drops page footers and the blank lines around them, so a paragraph carries on", () => {
    expect(toSourceLines("taken to the site in\n\nPage 1 of 2\n\ncommercial vehicles")).toEqual([
      { text: "taken to the site in", line: 1 },
      { text: "commercial vehicles", line: 5 },
    ]);
    expect(toSourceLines("one\n- 2 -\ntwo\n3/4\nthree\nPAGE 5").map((l) => l.text)).toEqual([
      "one",
      "two",
      "three",
    ]);
  });

  it("keeps the text after a form feed", () => {
    expect(toSourceLines("site in\n\fcommercial vehicles").map((l) => l.text)).toEqual([
      "site in",
      "commercial vehicles",
    ]);
  });
});

describe("listItemMarker", () => {
  it.each([
    ["- a. The award of the contract", "a.", "The award of the contract"],
    ["a. residents would apply", "a.", "residents would apply"],
    ["1. The report be noted.", "1.", "The report be noted."],
    ["2) The report be noted.", "2)", "The report be noted."],
    ["(ii) the second point", "(ii)", "the second point"],
    ["• understanding flood risk", "•", "understanding flood risk"],
    ["- a plain dash bullet", "-", "a plain dash bullet"],
  ])("reads %j", (text, marker, rest) => {
    expect(listItemMarker(text)).toEqual({ marker, rest });
  });

  it.each(["The report be noted.", "2017/18 priorities", "i.e. the Council", "RESOLVED that:-"])(
    "%j is not an item",
    (text) => {
      expect(listItemMarker(text)).toBeNull();
    },
  );
});

describe("joinLines", () => {
  it("undoes hyphenation at a line end", () => {
    expect(joinLines("Children's Ser-", "vices")).toBe("Children's Services");
  });

  it("keeps hyphens that are part of the word", () => {
    expect(joinLines("in Stockton-on-", "Tees")).toBe("in Stockton-on-Tees");
    expect(joinLines("Strategy 2017-", "20")).toBe("Strategy 2017-20");
    expect(joinLines("for vans, pick-", "ups and trailers", new Set(["pick-ups"]))).toBe(
      "for vans, pick-ups and trailers",
    );
  });

  it("joins other lines with a space", () => {
    expect(joinLines("the report be", "noted.")).toBe("the report be noted.");
  });
});

describe("hyphenatedCompounds", () => {
  it("collects hyphenated words written whole, lower-cased, not those broken at a line end", () => {
    const compounds = hyphenatedCompounds(
      numbered("for vans, Pick-ups and one-off costs", "an esti-", "mated cost in Stockton-on-Tees"),
    );
    expect([...compounds].sort()).toEqual(["one-off", "pick-ups", "stockton-on-tees"]);
  });
});

describe("estimateWrapWidth", () => {
  it("is unlimited for text with a paragraph a line", () => {
    const lines = numbered(
      "Title of Item/Report",
      "Stockton Town Centre Car Parking Charges",
      "Consideration was given to a report on proposed changes to car parking charges.",
      "Members were reminded that charges had last been reviewed in 2008.",
      "RESOLVED that:-",
      "1. the revised tariff be approved.",
    );
    expect(estimateWrapWidth(lines)).toBe(Number.POSITIVE_INFINITY);
  });

  it("measures the lines whose sentence runs on in lower case", () => {
    const lines = numbered(
      "The review had found that a significant",
      "proportion of the waste came from",
      "businesses.",
      "Under the proposed scheme:",
      "a. residents would apply",
    );
    expect(estimateWrapWidth(lines)).toBe("The review had found that a significant".length);
  });
});

describe("toBlocks", () => {
  it("reads a paragraph a line with blank lines between, and lists one item a line", () => {
    const blocks = toBlocks(
      numbered(
        "The next quarter would see:",
        "",
        "- a. The award of the contract",
        "- b. A report to Cabinet",
        "",
        "RESOLVED that:-",
      ),
      Number.POSITIVE_INFINITY,
    );
    expect(blocks).toEqual([
      { kind: "paragraph", text: "The next quarter would see:", line: 1 },
      { kind: "item", marker: "a.", text: "The award of the contract", line: 3 },
      { kind: "item", marker: "b.", text: "A report to Cabinet", line: 4 },
      { kind: "paragraph", text: "RESOLVED that:-", line: 6 },
    ]);
  });

  it("rejoins wrapped lines and ends a paragraph where the next word would have fitted", () => {
    // At 20 columns "jumps" did not fit after "The quick brown fox" (19), but "The" fits after "jumps over." (11).
    const lines = numbered("The quick brown fox", "jumps over.", "The end.");
    expect(texts(toBlocks(lines, 20))).toEqual(["The quick brown fox jumps over.", "The end."]);
  });

  it("ends a paragraph after a line well past the wrap width", () => {
    const long =
      "Consideration was given to a report on proposed changes to car parking charges in the town.";
    expect(texts(toBlocks(numbered(long, "Members noted the report."), 60))).toEqual([
      long,
      "Members noted the report.",
    ]);
  });

  it("continues a sentence across a blank line when the next part starts in lower case or this one ends at a comma", () => {
    const lines = numbered(
      "1. The performance in respect of young people not in education,",
      "",
      "employment or training.",
    );
    expect(texts(toBlocks(lines, Number.POSITIVE_INFINITY))).toEqual([
      "1. The performance in respect of young people not in education, employment or training.",
    ]);
    const comma = numbered("Members thanked the staff of Thornaby,", "", "Billingham and Norton libraries.");
    expect(texts(toBlocks(comma, Number.POSITIVE_INFINITY))).toEqual([
      "Members thanked the staff of Thornaby, Billingham and Norton libraries.",
    ]);
  });

  it('does not continue across a blank line after ":-"', () => {
    const lines = numbered(
      "RESOLVED that the report be noted, and in particular:-",
      "",
      "Officers be thanked.",
    );
    expect(texts(toBlocks(lines, Number.POSITIVE_INFINITY))).toHaveLength(2);
  });

  it("starts a block at an operative word even inside wrapped text", () => {
    const lines = numbered(
      "The strategy was attached to the",
      "report.",
      "RESOLVED that the strategy be agreed.",
    );
    expect(texts(toBlocks(lines, 35))).toEqual([
      "The strategy was attached to the report.",
      "RESOLVED that the strategy be agreed.",
    ]);
  });
});

describe("blocksToText", () => {
  it("separates paragraphs by a blank line and puts list items one a line; a list starting again is a new list", () => {
    const blocks: Block[] = [
      { kind: "paragraph", text: "The update report was in the following parts:", line: 1 },
      { kind: "item", marker: "a.", text: "Update on our priorities", line: 2 },
      { kind: "item", marker: "b.", text: "Update on other actions.", line: 3 },
      { kind: "item", marker: "a.", text: "The award of the contract", line: 4 },
      { kind: "paragraph", text: "Closing remarks.", line: 5 },
    ];
    expect(blocksToText(blocks)).toBe(
      [
        "The update report was in the following parts:",
        "",
        "a. Update on our priorities",
        "b. Update on other actions.",
        "",
        "a. The award of the contract",
        "",
        "Closing remarks.",
      ].join("\n"),
    );
  });
});

describe("page furniture", () => {
  it("drops 'n/m' page counters but keeps financial years", () => {
    expect(toSourceLines("The budget for\n1/2\nthe year\n2017/18\nfollows").map((l) => l.text)).toEqual([
      "The budget for",
      "the year",
      "2017/18",
      "follows",
    ]);
  });

  it("splits a line at a form feed in its middle, both parts on the same line number", () => {
    expect(toSourceLines("end of page\fstart of next").map((l) => [l.text, l.line])).toEqual([
      ["end of page", 1],
      ["start of next", 1],
    ]);
  });
});
