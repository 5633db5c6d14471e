/**
 * A forward-only scan of the tags in an XML part of a Word document. WordprocessingML is
 * machine-written and regular, so tags, attributes and positions are all we need to read
 * numbering definitions and to find where each paragraph's text starts; a DOM would cost more
 * and still not give us offsets to insert text at.
 */
export interface XmlTag {
  /** Qualified name as written, e.g. "w:numId". */
  name: string;
  attributes: Record<string, string>;
  kind: "open" | "close" | "empty";
  /** Offsets of "<" and just past ">" in the source. */
  start: number;
  end: number;
}

const TAG =
  /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function decodeXmlEntities(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (whole, hex, dec, named) => {
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex as string, 16));
    if (dec !== undefined) return String.fromCodePoint(Number.parseInt(dec as string, 10));
    const map: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    return map[(named as string).toLowerCase()] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function* scanXmlTags(xml: string): Generator<XmlTag> {
  for (const match of xml.matchAll(TAG)) {
    const name = match[2];
    if (name === undefined) continue; // comment, processing instruction, CDATA, doctype
    const attributes: Record<string, string> = {};
    for (const a of (match[3] ?? "").matchAll(ATTRIBUTE)) {
      attributes[a[1] as string] = decodeXmlEntities(a[2] ?? a[3] ?? "");
    }
    const kind = match[1] === "/" ? "close" : match[4] === "/" ? "empty" : "open";
    yield { name, attributes, kind, start: match.index, end: match.index + match[0].length };
  }
}
