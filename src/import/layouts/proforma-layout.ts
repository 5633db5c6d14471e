import { parseProforma } from "../proforma-parser.js";
import { matchSectionHeading } from "../proforma-sections.js";
import type { DocumentLayout } from "./document-layout.js";

/** Stockton's Cabinet proforma: numbered sections 1-7, "Proper Officer" and the publication date. */
export const proformaLayout: DocumentLayout = {
  name: "proforma",
  label: "Cabinet decision proforma (numbered sections)",
  recognises: (text) => text.split("\n").some((line) => matchSectionHeading(line.trim()) !== null),
  read: (text, source) => [parseProforma(text, source)],
};
