import { parse, type DefaultTreeAdapterTypes } from "parse5";
import { BULLET_MARKER, formatCounter, type CounterStyle } from "./list-markers.js";
import { LINE_BREAK, LineWriter, PARAGRAPH_BREAK, type BreakKind } from "./line-writer.js";
import { tidyLines } from "./normalise-text.js";
import { DocumentError } from "../../domain/errors.js";

/**
 * HTML → the plain-text layout the proforma parser reads: one paragraph or heading per line with
 * a blank line between them, list items one per line with the marker a reader sees, table rows
 * one per line. Used for council web pages and for the HTML that mammoth makes from Word files.
 */

type Element = DefaultTreeAdapterTypes.Element;
type ChildNode = DefaultTreeAdapterTypes.ChildNode;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

export interface HtmlToTextOptions {
  /**
   * Prefix list items with the marker the browser would draw ("1.", "a.", "-"). Off for Word
   * documents, whose markers are put into the text before mammoth runs (see docx-numbering.ts).
   */
  generateListMarkers?: boolean;
}

/** Never content: scripts, styles, form controls and embedded objects. */
const IGNORED = new Set([
  "head",
  "script",
  "style",
  "noscript",
  "template",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "canvas",
  "video",
  "audio",
  "map",
  "button",
  "input",
  "select",
  "textarea",
  "nav",
  "aside",
  "dialog",
]);

/** Elements laid out as blocks: each starts a new paragraph. */
const BLOCKS = new Set([
  "address",
  "article",
  "blockquote",
  "body",
  "caption",
  "center",
  "details",
  "div",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hgroup",
  "legend",
  "main",
  "p",
  "section",
  "summary",
]);

/** Sectioning elements: a <header>/<footer> inside one of these belongs to the content, not to the site. */
const SECTIONING = new Set(["article", "aside", "main", "nav", "section"]);

const CHROME_ROLES = new Set(["navigation", "banner", "contentinfo", "search", "complementary", "dialog"]);

/** id/class words that mark site furniture on council pages (menus, breadcrumbs, cookie banners). */
const CHROME_NAME =
  /(?:^|[-_])(?:nav|navbar|navigation|menu|breadcrumbs?|skip-?link|skip-?to-?content|cookie-?banner|cookie-?message|sidebar|masthead|site-?header|site-?footer)(?:$|[-_])/i;

/** ids that name the element holding a page's main content, in order of preference. */
const CONTENT_IDS =
  /^(?:main-?content|maincontent|content-?main|page-?content|content|main|primary|record|decision)$/i;

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function isElement(node: ChildNode | ParentNode): node is Element {
  return "tagName" in node;
}

function isHidden(el: Element): boolean {
  if (el.attrs.some((a) => a.name === "hidden")) return true;
  if (attr(el, "aria-hidden") === "true") return true;
  const style = (attr(el, "style") ?? "").replace(/\s+/g, "").toLowerCase();
  return style.includes("display:none") || style.includes("visibility:hidden");
}

/** <header>/<footer> whose nearest sectioning ancestor is the body: the site banner and footer. */
function isPageBannerOrFooter(el: Element): boolean {
  if (el.tagName !== "header" && el.tagName !== "footer") return false;
  for (let p = el.parentNode; p && isElement(p); p = p.parentNode) {
    if (SECTIONING.has(p.tagName)) return false;
  }
  return true;
}

function isChrome(el: Element): boolean {
  if (IGNORED.has(el.tagName) || isHidden(el)) return true;
  const role = attr(el, "role");
  if (role !== undefined && CHROME_ROLES.has(role.toLowerCase())) return true;
  if (isPageBannerOrFooter(el)) return true;
  const id = attr(el, "id") ?? "";
  const named =
    /^(?:header|footer)$/i.test(id) ||
    CHROME_NAME.test(id) ||
    (attr(el, "class") ?? "").split(/\s+/).some((c) => c !== "" && CHROME_NAME.test(c));
  // Names are only a hint: a wrapper called "page--with-sidebar" may hold the record itself, and
  // the record's main heading is never inside a menu.
  return named && !containsTag(el, "h1");
}

function containsTag(node: ParentNode, tag: string): boolean {
  for (const el of elements(node)) if (el.tagName === tag) return true;
  return false;
}

/**
 * Every element under `node`, in document order. Walked with a stack of child lists rather than nested
 * generators: `yield*` passes each element up through every level above it, which is quadratic in the depth of
 * a page whose tags are never closed.
 */
function* elements(node: ParentNode): Generator<Element> {
  const stack: Array<{ children: ChildNode[]; next: number }> = [{ children: node.childNodes, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.children.length) {
      stack.pop();
      continue;
    }
    const child = top.children[top.next++]!;
    if (!isElement(child)) continue;
    yield child;
    if (!IGNORED.has(child.tagName)) stack.push({ children: child.childNodes, next: 0 });
  }
}

function hasText(node: ParentNode): boolean {
  for (const child of node.childNodes) {
    if (child.nodeName === "#text" && "value" in child && child.value.trim() !== "") return true;
    if (isElement(child) && !IGNORED.has(child.tagName) && hasText(child)) return true;
  }
  return false;
}

/**
 * Where the record is: <main>, then role="main", then a conventional content id, then the body.
 * Choosing a root drops the site navigation around it without having to recognise every menu.
 */
function findContentRoot(document: ParentNode): ParentNode {
  const all = [...elements(document)];
  const candidates = [
    ...all.filter((el) => el.tagName === "main"),
    ...all.filter((el) => attr(el, "role")?.toLowerCase() === "main"),
    ...all.filter((el) => CONTENT_IDS.test(attr(el, "id") ?? "")),
  ];
  const chosen = candidates.find((el) => !isHidden(el) && hasText(el));
  return chosen ?? all.find((el) => el.tagName === "body") ?? document;
}

function counterStyleOf(list: Element): CounterStyle {
  const style = (attr(list, "style") ?? "").toLowerCase();
  const css = /list-style(?:-type)?\s*:\s*([a-z-]+)/.exec(style)?.[1];
  if (css === "none") return "none";
  if (css === "lower-alpha" || css === "lower-latin") return "lower-alpha";
  if (css === "upper-alpha" || css === "upper-latin") return "upper-alpha";
  if (css === "lower-roman" || css === "upper-roman" || css === "decimal") return css;
  if (list.tagName !== "ol") return "bullet";
  switch (attr(list, "type")) {
    case "a":
      return "lower-alpha";
    case "A":
      return "upper-alpha";
    case "i":
      return "lower-roman";
    case "I":
      return "upper-roman";
    default:
      return "decimal";
  }
}

interface ListContext {
  style: CounterStyle;
  next: number;
}

interface WalkContext {
  lists: ListContext[];
  /** Inside a list item, blocks end lines but do not leave blank lines between them. */
  compact: boolean;
  pre: boolean;
}

class HtmlTextRenderer {
  constructor(private readonly generateListMarkers: boolean) {}

  render(root: ParentNode, context: WalkContext): string[] {
    const writer = new LineWriter();
    this.children(root, writer, context);
    return writer.finish();
  }

  private children(node: ParentNode, writer: LineWriter, context: WalkContext): void {
    for (const child of node.childNodes) this.node(child, writer, context);
  }

  private node(node: ChildNode, writer: LineWriter, context: WalkContext): void {
    if (node.nodeName === "#text" && "value" in node) {
      if (context.pre) writer.writePreformatted(node.value);
      else writer.write(node.value);
      return;
    }
    if (!isElement(node) || isChrome(node)) return;
    const tag = node.tagName;
    const blockBreak: BreakKind = context.compact ? LINE_BREAK : PARAGRAPH_BREAK;

    if (tag === "br") {
      writer.hardBreak();
    } else if (tag === "hr") {
      writer.requestBreak(blockBreak);
    } else if (tag === "ol" || tag === "ul" || tag === "menu") {
      this.list(node, writer, context, blockBreak);
    } else if (tag === "li") {
      this.listItem(node, writer, context);
    } else if (tag === "table") {
      writer.requestBreak(blockBreak);
      this.table(node, writer, context);
      writer.requestBreak(blockBreak);
    } else if (tag === "tr") {
      // A row outside a table element (a parser quirk); lay it out as one.
      this.row(node, writer, context);
    } else if (tag === "pre") {
      writer.requestBreak(blockBreak);
      this.children(node, writer, { ...context, pre: true });
      writer.requestBreak(blockBreak);
    } else if (tag === "dt" || tag === "dd") {
      writer.requestBreak(LINE_BREAK);
      this.children(node, writer, context);
      writer.requestBreak(LINE_BREAK);
    } else if (BLOCKS.has(tag)) {
      writer.requestBreak(blockBreak);
      this.children(node, writer, context);
      writer.requestBreak(blockBreak);
    } else {
      this.children(node, writer, context);
    }
  }

  private list(list: Element, writer: LineWriter, context: WalkContext, blockBreak: BreakKind): void {
    const start = Number.parseInt(attr(list, "start") ?? "", 10);
    const inner: ListContext = { style: counterStyleOf(list), next: Number.isFinite(start) ? start : 1 };
    // A nested list continues its parent item on the next line; a top-level one is a paragraph.
    writer.requestBreak(context.lists.length > 0 ? LINE_BREAK : blockBreak);
    this.children(list, writer, { ...context, lists: [...context.lists, inner], compact: true });
    writer.requestBreak(context.lists.length > 0 ? LINE_BREAK : blockBreak);
  }

  private listItem(item: Element, writer: LineWriter, context: WalkContext): void {
    writer.requestBreak(LINE_BREAK);
    const list = context.lists[context.lists.length - 1];
    if (list) {
      const value = Number.parseInt(attr(item, "value") ?? "", 10);
      if (Number.isFinite(value)) list.next = value;
      if (this.generateListMarkers) {
        const counter = formatCounter(list.next, list.style);
        const marker = list.style === "bullet" ? BULLET_MARKER : counter === "" ? "" : `${counter}.`;
        writer.setPrefix(marker === "" ? "" : `${marker} `);
      }
      list.next += 1;
    }
    this.children(item, writer, { ...context, compact: true });
    writer.setPrefix("");
    writer.requestBreak(LINE_BREAK);
  }

  /** Rows of the table itself, not of tables nested in its cells. */
  private rows(table: Element): Element[] {
    const rows: Element[] = [];
    for (const child of table.childNodes) {
      if (!isElement(child)) continue;
      if (child.tagName === "tr") rows.push(child);
      else if (["thead", "tbody", "tfoot"].includes(child.tagName)) rows.push(...this.rows(child));
      else if (child.tagName === "caption") rows.push(child);
    }
    return rows;
  }

  private table(table: Element, writer: LineWriter, context: WalkContext): void {
    if (isItemTable(table, this.rows(table))) {
      this.itemTable(table, writer, context);
      return;
    }
    for (const row of this.rows(table)) {
      if (isChrome(row)) continue;
      if (row.tagName === "caption") {
        writer.writeLines(this.render(row, { ...context, compact: true }));
      } else {
        this.row(row, writer, context);
      }
    }
  }

  /**
   * A meeting's items as a table (ModernGov's item table; "Item | Description | Decision" minutes): each row
   * starts a paragraph with its number cell, a tab and the first line of the next cell ("6.\tMedium Term
   * Financial Plan"); every other line of a cell follows, indented by one tab per column before it, so a
   * reader can tell the columns apart and one that ignores tabs reads the item in order. A header row is one
   * line, its cells separated by tabs ("Item\tDescription\tDecision").
   */
  private itemTable(table: Element, writer: LineWriter, context: WalkContext): void {
    for (const row of this.rows(table)) {
      if (isChrome(row)) continue;
      if (row.tagName === "caption") {
        writer.writeLines(this.render(row, { ...context, compact: true }));
        continue;
      }
      const cells = cellsOf(row).map((cell) => trimBlank(this.render(cell, { ...context, lists: [] })));
      if (cells.every((lines) => lines.length === 0)) continue;
      writer.requestBreak(PARAGRAPH_BREAK);
      const first = cells[0] ?? [];
      const out: string[] = [];
      let from = 0;
      if (first.length <= 1 && cells.length > 1) {
        out.push(
          [first[0] ?? "", ...cells.slice(1).map((lines, c) => (c === 0 ? (lines[0] ?? "") : ""))]
            .join("\t")
            .replace(/(?<!\t)\t+$/, ""),
        );
        from = 1;
      } else {
        out.push(...first);
      }
      for (const [c, lines] of cells.entries()) {
        if (c === 0) continue;
        const rest = c === 1 ? lines.slice(from) : lines;
        // A header row's cells are all one line: they stay on the row's line, tab-separated.
        if (rest.length === 0) continue;
        out.push(...rest.map((line) => (line === "" ? "" : "\t".repeat(c) + line)));
      }
      const header = cells.every((lines) => lines.length <= 1);
      writer.writeLines(
        header
          ? [
              cells
                .map((lines) => lines[0] ?? "")
                .join("\t")
                .replace(/(?<!\t)\t+$/, ""),
            ]
          : out,
      );
      writer.requestBreak(PARAGRAPH_BREAK);
    }
  }

  /**
   * A row whose cells are each one line becomes one line, cells separated by a tab (or by a
   * space after a label ending in a colon: "Cabinet Decision: 17th February 2011"). A row with a
   * multi-paragraph cell (layout tables, a heading cell next to the decision text) becomes a
   * block per cell, so paragraphs are not run together.
   */
  private row(row: Element, writer: LineWriter, context: WalkContext): void {
    const cells = row.childNodes.filter(
      (c): c is Element => isElement(c) && (c.tagName === "td" || c.tagName === "th") && !isChrome(c),
    );
    const rendered = cells
      .map((cell) => this.render(cell, { ...context, lists: [] }))
      .filter((lines) => lines.some((l) => l !== ""));
    if (rendered.length === 0) return;
    const single = rendered.map((lines) => lines.filter((l) => l !== ""));
    if (single.every((lines) => lines.length === 1)) {
      writer.requestBreak(LINE_BREAK);
      // "Cabinet Decision:" | "17th February 2011" reads as one phrase; other cells are columns.
      const line = single
        .map((lines) => lines[0] as string)
        .reduce(
          (joined, cell) => joined + (joined.endsWith(":") || joined.endsWith(":-") ? " " : "\t") + cell,
        );
      writer.writeLines([line]);
      return;
    }
    for (const lines of rendered) {
      writer.requestBreak(PARAGRAPH_BREAK);
      writer.writeLines(lines);
      writer.requestBreak(PARAGRAPH_BREAK);
    }
  }
}

function cellsOf(row: Element): Element[] {
  return row.childNodes.filter(
    (c): c is Element => isElement(c) && (c.tagName === "td" || c.tagName === "th") && !isChrome(c),
  );
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start] === "") start++;
  while (end > start && lines[end - 1] === "") end--;
  return lines.slice(start, end);
}

function cellText(cell: Element): string {
  let text = "";
  const walk = (node: ParentNode): void => {
    for (const child of node.childNodes) {
      if (child.nodeName === "#text" && "value" in child) text += child.value;
      else if (isElement(child) && !IGNORED.has(child.tagName)) walk(child);
    }
  };
  walk(cell);
  return text.replace(/\s+/g, " ").trim();
}

// Column headings of minutes kept as a table: "Item", "Minute No.", then "Decision", "Resolution".
const NUMBER_HEADING =
  /^(?:item|items|minute|minutes|min\.?|no\.?|ref\.?|number|agenda item|item no\.?|minute no\.?)$/i;
const DECISION_HEADING = /^(?:decisions?|decision taken|resolutions?|resolved|outcome|decision\/action)$/i;
// A number cell: "6.", "57", "12a", "CAB/41/25".
const ITEM_NUMBER = /^(?:\d{1,3}[a-z]?\.?|[A-Z][A-Za-z]{0,7}\/\d{1,4}(?:\/\d{2,4})?)$/;

/**
 * A table of a meeting's items: ModernGov's item table (class "mgItemTable"), or a table whose first row
 * heads a number column and a decision column ("Item | Description | Decision"). Other tables (layout
 * tables, a record's details table) keep the ordinary row layout.
 */
function isItemTable(table: Element, rows: readonly Element[]): boolean {
  if ((attr(table, "class") ?? "").split(/\s+/).some((c) => /^mgItemTable$/i.test(c))) return true;
  const firstRow = rows.find((r) => r.tagName === "tr");
  if (!firstRow) return false;
  const headings = cellsOf(firstRow).map(cellText);
  if (headings.length < 2 || !NUMBER_HEADING.test(headings[0] ?? "")) return false;
  if (!headings.some((h) => DECISION_HEADING.test(h))) return false;
  // The rows under it start with item numbers (or are blank).
  return rows
    .filter((r) => r !== firstRow && r.tagName === "tr")
    .every((r) => {
      const first = cellsOf(r)[0];
      const number = first ? cellText(first) : "";
      return number === "" || ITEM_NUMBER.test(number);
    });
}

/** Plain text in the seeds' layout, ending with one newline ("" when the page has no text). */
export function htmlToText(html: string, options: HtmlToTextOptions = {}): string {
  const document = parse(html);
  checkNesting(document);
  const renderer = new HtmlTextRenderer(options.generateListMarkers ?? true);
  const lines = renderer.render(findContentRoot(document), { lists: [], compact: false, pre: false });
  return tidyLines(lines.join("\n"), { collapseSpaces: true });
}

/**
 * Elements nested deeper than this are refused. The renderer walks the page recursively, and a page of
 * thousands of unclosed tags would overflow the stack; a real record (a ModernGov page, Word's HTML) nests a
 * few dozen levels.
 */
export const MAX_HTML_NESTING = 400;

function checkNesting(document: ParentNode): void {
  const stack: Array<{ node: ParentNode; depth: number }> = [{ node: document, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_HTML_NESTING) {
      throw new DocumentError(
        `the page nests its elements more than ${MAX_HTML_NESTING} deep, which no decision record does: ` +
          "it is damaged or not a record. Save the page again from the council's website, or as PDF.",
      );
    }
    for (const child of node.childNodes) if (isElement(child)) stack.push({ node: child, depth: depth + 1 });
  }
}
