/**
 * Collects inline text into lines the way a browser lays out blocks, minus the geometry: runs of
 * whitespace collapse to one space, a block boundary ends the line, a paragraph boundary also
 * leaves one blank line. Boundaries are only "requested" and take effect when more text comes,
 * so nested blocks (<div><p>…</p></div>) do not pile up blank lines.
 */
export const LINE_BREAK = 1;
export const PARAGRAPH_BREAK = 2;
export type BreakKind = typeof LINE_BREAK | typeof PARAGRAPH_BREAK;

export class LineWriter {
  private readonly lines: string[] = [];
  private current = "";
  private pendingBreak: 0 | BreakKind = 0;
  private pendingSpace = false;
  private prefix = "";

  /** Ask for the current line to end (and, for a paragraph break, a blank line) before the next text. */
  requestBreak(kind: BreakKind): void {
    if (kind > this.pendingBreak) this.pendingBreak = kind;
  }

  /** Text to put before the next non-blank text, e.g. a list marker "a. ". */
  setPrefix(prefix: string): void {
    this.prefix = prefix;
  }

  /** Inline text from the source; whitespace is collapsed as HTML does. */
  write(text: string): void {
    const collapsed = text.replace(/[ \t\n\r\f]+/g, " ");
    if (collapsed === "") return;
    if (collapsed === " ") {
      if (this.current !== "") this.pendingSpace = true;
      return;
    }
    this.applyPendingBreak();
    let body = collapsed;
    if (body.startsWith(" ")) {
      body = body.slice(1);
      if (this.current !== "") this.pendingSpace = true;
    }
    const trailingSpace = body.endsWith(" ");
    if (trailingSpace) body = body.slice(0, -1);
    if (this.current === "") {
      this.current = this.prefix + body;
      this.prefix = "";
    } else {
      this.current += (this.pendingSpace ? " " : "") + body;
    }
    this.pendingSpace = trailingSpace;
  }

  /** Text whose spaces and line breaks are significant (<pre>). */
  writePreformatted(text: string): void {
    const [first = "", ...rest] = text.split(/\r\n?|\n/);
    this.applyPendingBreak();
    this.current += first;
    for (const line of rest) {
      this.hardBreak();
      this.current += line;
    }
  }

  /** A forced line end (<br>): two in a row leave a blank line, as they do on screen. */
  hardBreak(): void {
    this.applyPendingBreak();
    this.lines.push(this.current.trim());
    this.current = "";
    this.pendingSpace = false;
  }

  /** Whole lines rendered elsewhere (a table cell), placed as a block of their own. */
  writeLines(lines: readonly string[]): void {
    for (const line of lines) {
      if (line === "") {
        this.requestBreak(PARAGRAPH_BREAK);
      } else {
        this.applyPendingBreak();
        this.endLine();
        this.current = line;
        this.requestBreak(LINE_BREAK);
      }
    }
  }

  finish(): string[] {
    this.endLine();
    return this.lines;
  }

  private applyPendingBreak(): void {
    if (this.pendingBreak === 0) return;
    this.endLine();
    if (this.pendingBreak === PARAGRAPH_BREAK && this.lines.length > 0) this.lines.push("");
    this.pendingBreak = 0;
  }

  private endLine(): void {
    // Leading tabs are kept: they place a table cell's lines under its column (see html-to-text.ts).
    const line = this.current.replace(/^[ \n\r\f\v]+/, "").trimEnd();
    if (line !== "") this.lines.push(line);
    this.current = "";
    this.pendingSpace = false;
  }
}
