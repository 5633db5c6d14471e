import type { Outcome } from "../domain/decision-record.js";
import { joinLines, OPERATIVE_WORD, type Block } from "./paragraphs.js";

export interface SplitRecord {
  /** Blocks before the first operative word. */
  narrative: Block[];
  outcomes: Outcome[];
  /** Line of the first operative word, if any. */
  outcomeLine?: number;
}

const ITEM_STYLES: Array<[RegExp, string]> = [
  [/^\(?\d+[.)]$/, "number"],
  [/^\(?[ivx]+[.)]$/, "roman"],
  [/^\(?[a-z][.)]$/, "letter"],
  [/^[-–•*▪◦]$/, "bullet"],
];

function itemStyle(marker: string): string {
  return ITEM_STYLES.find(([re]) => re.test(marker))?.[1] ?? "other";
}

/**
 * Splits section 2 into the narrative and the outcome blocks ("RESOLVED that ...", "RECOMMENDED to
 * Council that ..."). Items under an outcome are its numbered points; markers of another style under
 * an item ("a.", "b." under "1.") are sub-points kept inside that item, one per line.
 */
export function splitOutcomes(blocks: readonly Block[]): SplitRecord {
  const narrative: Block[] = [];
  const outcomes: Outcome[] = [];
  let outcomeLine: number | undefined;
  let current: Outcome | null = null;
  let currentStyle: string | null = null;

  for (const block of blocks) {
    const operative = block.kind === "paragraph" ? OPERATIVE_WORD.exec(block.text) : null;
    if (operative && isOperativeWord(operative[1]!)) {
      current = { kind: operative[1]!, text: operative[2]!, items: [] };
      currentStyle = null;
      outcomes.push(current);
      outcomeLine ??= block.line;
      continue;
    }
    if (!current) {
      narrative.push(block);
      continue;
    }
    const lastIndex = current.items.length - 1;
    if (block.kind === "item") {
      const style = itemStyle(block.marker!);
      currentStyle ??= style;
      if (style === currentStyle || lastIndex < 0) current.items.push(block.text);
      else current.items[lastIndex] += `\n${block.marker} ${block.text}`;
    } else if (lastIndex >= 0) {
      current.items[lastIndex] = continueOutcome(current.items[lastIndex]!, block.text);
    } else {
      current.text = continueOutcome(current.text, block.text);
    }
  }
  return { narrative, outcomes, ...(outcomeLine !== undefined && { outcomeLine }) };
}

// ".", ";", ":", "!" or "?", perhaps inside a closing quote or bracket; ":-" ends an introduction.
const SENTENCE_END = /(?:[.;:!?]["'”’)\]]*|:-)$/;

/**
 * A paragraph after an outcome item that has not ended yet ("... the Cabinet Member for" then
 * "Access, Communities and Community Safety.") is the rest of that sentence, split by a page break.
 */
function continueOutcome(before: string, paragraph: string): string {
  if (before === "") return paragraph;
  return SENTENCE_END.test(before) ? `${before}\n\n${paragraph}` : joinLines(before, paragraph);
}

// Capitalised words that open a paragraph without being a decision ("NOTE", "PURPOSE" don't end -ED).
function isOperativeWord(word: string): boolean {
  return /^(?:RESOLVED|RECOMMENDED|AGREED|DECIDED|APPROVED|NOTED|ENDORSED|REFERRED|DEFERRED|[A-Z]+ED)$/.test(
    word,
  );
}
