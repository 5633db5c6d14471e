import type { DecisionRecord, Outcome } from "../../domain/decision-record.js";
import { listItemMarker } from "../paragraphs.js";
import { proformaSections, type SectionKey } from "../proforma-sections.js";
import { formatLongDate, formatOrdinalDate } from "../uk-date.js";

/**
 * The record in the proforma layout councils publish (the layout of Stockton's Cabinet proformas),
 * which `parseProforma` reads back to the same record.
 */
export function renderProformaText(record: DecisionRecord): string {
  const out: string[] = [];
  if (record.council) out.push(record.council.toUpperCase());
  out.push(record.documentType.toUpperCase());
  if (record.recordId) out.push(`Record Number: ${record.recordId}`);
  out.push(`${record.body} Meeting ${formatOrdinalDate(record.meetingDate)}`);

  for (const section of proformaSections) {
    out.push(`${section.number}. ${section.heading}`);
    const body = sectionBody(record, section.key);
    if (body !== "") out.push(body);
  }

  const signature = record.signedBy
    ? [...record.signedBy.split(", "), formatLongDate(record.publishedOn)]
    : null;
  out.push(signature ? signature.join("\n") : `Date of Publication: ${formatLongDate(record.publishedOn)}`);
  return out.join("\n\n") + "\n";
}

function sectionBody(record: DecisionRecord, key: SectionKey): string {
  switch (key) {
    case "title":
      return record.title;
    case "record":
      return [bulletLists(record.record), ...record.outcomes.map(renderOutcome)]
        .filter((s) => s !== "")
        .join("\n\n");
    case "callIn":
      return record.callIn.text;
    default:
      return record[key];
  }
}

const PLAIN_BULLETS = ["-", "–", "•", "*", "▪", "◦"];

// The proforma prints lettered list items behind a dash: "- a. The award of the contract ...".
function bulletLists(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const item = listItemMarker(line);
      return item && !PLAIN_BULLETS.includes(item.marker) ? `- ${line}` : line;
    })
    .join("\n");
}

function renderOutcome(outcome: Outcome): string {
  const opening =
    outcome.text === "" || /^[:,.;]/.test(outcome.text)
      ? outcome.kind + outcome.text
      : `${outcome.kind} ${outcome.text}`;
  return [opening, ...outcome.items.map((item, i) => `${i + 1}. ${item}`)].join("\n\n");
}

/** The record as Markdown, for pasting into reports, wikis and e-mail. */
export function renderProformaMarkdown(record: DecisionRecord): string {
  const meta: Array<[string, string | null]> = [
    ["Council", record.council],
    ["Decision maker", record.body],
    ["Document", record.documentType],
    ["Record", record.recordId],
    ["Meeting date", formatLongDate(record.meetingDate)],
    ["Published", formatLongDate(record.publishedOn)],
    [
      "Call-in deadline",
      record.callIn.deadline ? formatLongDate(record.callIn.deadline) : "Not subject to call-in",
    ],
  ];
  const out: string[] = [`# ${escapeMarkdown(record.title)}`];
  out.push(
    meta
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([label, value]) => `- **${label}:** ${escapeMarkdown(value)}`)
      .join("\n"),
  );
  for (const section of proformaSections) {
    if (section.key === "title") continue;
    out.push(`## ${section.number}. ${section.heading}`);
    const body =
      section.key === "record"
        ? [markdownLines(record.record), ...record.outcomes.map(markdownOutcome)]
            .filter((s) => s !== "")
            .join("\n\n")
        : markdownLines(section.key === "callIn" ? record.callIn.text : record[section.key]);
    out.push(body === "" ? "_None recorded._" : body);
  }
  if (record.signedBy) out.push(`${escapeMarkdown(record.signedBy)}, ${formatLongDate(record.publishedOn)}`);
  return out.join("\n\n") + "\n";
}

function markdownLines(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const item = listItemMarker(line);
      if (item)
        return `- ${PLAIN_BULLETS.includes(item.marker) ? "" : `${item.marker} `}${escapeMarkdown(item.rest)}`;
      return escapeMarkdown(line);
    })
    .join("\n");
}

function markdownOutcome(outcome: Outcome): string {
  const opening = `**${outcome.kind}** ${escapeMarkdown(outcome.text)}`.trimEnd();
  const items = outcome.items.map((item, i) => `${i + 1}. ${markdownLines(item).replace(/\n/g, "\n   ")}`);
  return [opening, items.join("\n")].filter((s) => s !== "").join("\n\n");
}

// Only what Markdown would otherwise read as formatting; the record's own punctuation stays.
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, "\\$1").replace(/^(#{1,6}\s|>|\d+\.\s)/, "\\$1");
}

/** The record as the JSON interchange format, fields in their documented order. */
export function renderRecordJson(record: DecisionRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}
