import { scaleLinear, scalePoint } from "d3-scale";
import type { PDFStructureContent, PDFStructureElement } from "pdfkit";
import { openTaggedPdf } from "../../import/render/pdf-document.js";
import { RAG_WORDS, DIRECTION_LABELS, formatFigure } from "../../domain/kpi-wording.js";
import { printable, textWidth, type FontKey } from "../../import/render/pdf-fonts.js";
import {
  BOTTOM,
  FOOTER_BASELINE,
  FOOTER_SIZE,
  LEFT,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  RIGHT,
  TOP,
} from "../../import/render/pdf-geometry.js";
import type { QuarterlyKpi, QuarterlyReport, TrendFigure } from "./quarterly-report.js";

/**
 * A quarterly report as a PDF, the way the decision record's PDF is made (render/pdf-writer.ts): A4, DejaVu Sans
 * embedded (subset), tagged (Document, H1-H3, P, Table/TR/TH/TD, Figure with its description as alternative
 * text), en-GB, the title shown, "Page N of M" as a pagination artifact. Each KPI: this quarter's figures in
 * words (RAG as a word and a shape), its commentary, and its trend chart drawn with vector paths from the same
 * series as the page's chart, with the table of figures beside it. A KPI is never split over pages; each priority
 * after the first starts a page. The same report gives the same bytes (the dates come from the figures).
 */

const TITLE_SIZE = 16;
const TITLE_LEADING = 20;
const H2_SIZE = 13;
const H3_SIZE = 11;
const BODY = 10;
const LEADING = 13;
const TABLE_SIZE = 9;
const ROW = 13;
const CHART_WIDTH = 272;
const CHART_HEIGHT = 150;
const TABLE_LEFT = LEFT + CHART_WIDTH + 16;
const COLOURS = { actual: "#1d70b8", target: "#505a5f", grid: "#b1b4b6", text: "#0b0c0c" };

type Draw =
  | { kind: "text"; text: string; x: number; y: number; font: FontKey; size: number }
  | { kind: "line"; points: Array<[number, number]>; width: number; colour: string; dash?: number }
  | { kind: "dot"; x: number; y: number; r: number; colour: string };

interface Node {
  type: string;
  alt?: string;
  children: Node[];
}

/** Marked content on a page: drawn as the content of `node`, or as an artifact when null. */
interface Run {
  node: Node | null;
  draws: Draw[];
}

class Layout {
  readonly root: Node = { type: "Document", children: [] };
  readonly pages: Run[][] = [];
  y = TOP;

  constructor() {
    this.newPage();
  }

  newPage(): void {
    this.pages.push([]);
    this.y = TOP;
  }

  /** Starts a page unless `height` fits below the cursor. */
  keep(height: number): void {
    if (this.y + height > BOTTOM && this.y > TOP) this.newPage();
  }

  node(parent: Node, type: string, alt?: string): Node {
    const node: Node = { type, children: [], ...(alt !== undefined && { alt }) };
    parent.children.push(node);
    return node;
  }

  run(node: Node | null, draws: Draw[]): void {
    this.pages[this.pages.length - 1]!.push({ node, draws });
  }

  /** Wrapped text as one element (H1, P ...), `gap` points after it. */
  text(parent: Node, type: string, text: string, font: FontKey, size: number, leading: number, gap: number) {
    const lines = wrap(printable(text), font, size, RIGHT - LEFT);
    const node = this.node(parent, type);
    this.keep(leading * Math.min(lines.length, 3));
    let draws: Draw[] = [];
    for (const line of lines) {
      if (this.y + leading > BOTTOM) {
        this.run(node, draws);
        draws = [];
        this.newPage();
      }
      this.y += leading;
      draws.push({ kind: "text", text: line, x: LEFT, y: this.y - leading * 0.25, font, size });
    }
    this.run(node, draws);
    this.y += gap;
  }
}

/** Greedy line breaking at spaces, measured as pdfkit draws the text. */
function wrap(text: string, font: FontKey, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter((w) => w !== "")) {
      const candidate = line === "" ? word : `${line} ${word}`;
      if (line !== "" && textWidth(candidate, font, size) > width) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    if (line !== "") lines.push(line);
  }
  return lines.length === 0 ? [""] : lines;
}

/** Text cut to `width` with "…", for the narrow cells of the table and the chart's axis. */
function fit(text: string, font: FontKey, size: number, width: number): string {
  if (textWidth(text, font, size) <= width) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, font, size) > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export function renderQuarterlyPdf(report: QuarterlyReport): Uint8Array {
  const layout = new Layout();
  const { root } = layout;
  layout.text(
    root,
    "H1",
    `${report.strategy.title} — performance, ${report.period} (${report.months})`,
    "bold",
    TITLE_SIZE,
    TITLE_LEADING,
    8,
  );
  const intro = [
    report.strategy.owner ? `Owner: ${report.strategy.owner}.` : "",
    `How KPIs are rated: ${report.strategy.ragRuleText}.`,
    report.updatedAt
      ? `Figures as entered by ${ukDate(report.updatedAt)}.`
      : "No figures were entered for this quarter.",
    report.consideredBy
      ? `Considered by Cabinet: ${report.consideredBy.title}, ${ukDate(new Date(`${report.consideredBy.meetingDate}T12:00:00Z`))}` +
        `${report.consideredBy.recordId ? ` (${report.consideredBy.recordId})` : ""}` +
        `${report.consideredBy.confirmed ? "" : ", a link found in the records and not yet confirmed by an officer"}.`
      : "",
  ].filter((s) => s !== "");
  layout.text(root, "P", intro.join(" "), "regular", BODY, LEADING, 10);

  report.priorities.forEach((priority, index) => {
    if (index > 0) layout.newPage();
    layout.text(root, "H2", `${priority.position}. ${priority.title}`, "bold", H2_SIZE, 17, 6);
    if (priority.kpis.length === 0)
      layout.text(root, "P", "No KPIs under this priority.", "regular", BODY, LEADING, 8);
    for (const kpi of priority.kpis) kpiBlock(layout, report, kpi);
  });
  return write(report, layout);
}

function kpiBlock(layout: Layout, report: QuarterlyReport, kpi: QuarterlyKpi): void {
  const f = (v: number | null) => formatFigure(v, kpi.unit);
  const v = kpi.value;
  const figures = v
    ? [
        `Actual ${f(v.actual)}; target ${f(v.target)}; RAG: ${v.rag ? `${RAG_WORDS[v.rag].shape} ${RAG_WORDS[v.rag].label}` : "not rated"}.`,
        `Against the quarter before: ${v.direction ? DIRECTION_LABELS[v.direction] : "no earlier figure"}. ` +
          "Against the same quarter a year before: " +
          `${v.directionFromYearBefore ? DIRECTION_LABELS[v.directionFromYearBefore] : "no figure"}.`,
      ].join(" ")
    : `No figures were entered for ${report.period}.`;
  const polarity = kpi.polarity === "higher-is-better" ? "higher is better" : "lower is better";
  const textHeight = (text: string, font: FontKey, size: number, leading: number) =>
    wrap(printable(text), font, size, RIGHT - LEFT).length * leading;
  const tableHeight = (kpi.series.length + 1) * ROW + 18;
  const height =
    textHeight(`${kpi.code} ${kpi.name}`, "bold", H3_SIZE, 15) +
    textHeight(figures, "regular", BODY, LEADING) +
    (v?.commentary ? textHeight(v.commentary, "regular", BODY, LEADING) : 0) +
    Math.max(CHART_HEIGHT + 24, tableHeight) +
    30;
  layout.keep(height);
  layout.text(layout.root, "H3", `${kpi.code} ${kpi.name} (${polarity})`, "bold", H3_SIZE, 15, 3);
  layout.text(layout.root, "P", figures, "regular", BODY, LEADING, 3);
  if (v?.commentary)
    layout.text(layout.root, "P", `Commentary: ${v.commentary}`, "regular", BODY, LEADING, 3);
  const top = layout.y + 6;
  chart(layout, kpi, top);
  table(layout, kpi, top);
  layout.y = top + Math.max(CHART_HEIGHT + 24, tableHeight) + 12;
}

/** The trend chart: the same scales as the page's SVG (d3-scale), drawn as lines and dots. */
function chart(layout: Layout, kpi: QuarterlyKpi, top: number): void {
  const series = kpi.series;
  const format = (n: number) => formatFigure(n, kpi.unit);
  const plot = {
    left: LEFT + 56,
    right: LEFT + CHART_WIDTH - 8,
    top: top + 6,
    bottom: top + CHART_HEIGHT - 24,
  };
  const values = series.flatMap((p) => [p.actual, p.target]).filter((n): n is number => n !== null);
  const [low, high] = values.length === 0 ? [0, 1] : [Math.min(0, ...values), Math.max(...values)];
  const y = scaleLinear()
    .domain([low, high === low ? low + 1 : high])
    .nice(5)
    .range([plot.bottom, plot.top]);
  const x = scalePoint<string>()
    .domain(series.map((p) => p.period))
    .range([plot.left, plot.right])
    .padding(0.5);
  const draws: Draw[] = [];
  for (const tick of y.ticks(5)) {
    const ty = y(tick);
    draws.push({
      kind: "line",
      points: [
        [plot.left, ty],
        [plot.right, ty],
      ],
      width: 0.5,
      colour: COLOURS.grid,
    });
    const label = fit(format(tick), "regular", 7.5, 50);
    draws.push({
      kind: "text",
      text: label,
      x: plot.left - 4 - textWidth(label, "regular", 7.5),
      y: ty + 2.5,
      font: "regular",
      size: 7.5,
    });
  }
  // Every quarter's label when they fit, else every second, third ...
  const step = Math.max(1, Math.ceil((series.length * 52) / (plot.right - plot.left)));
  series.forEach((p, i) => {
    if ((series.length - 1 - i) % step !== 0) return;
    const w = textWidth(p.period, "regular", 7.5);
    draws.push({
      kind: "text",
      text: p.period,
      x: x(p.period)! - w / 2,
      y: plot.bottom + 12,
      font: "regular",
      size: 7.5,
    });
  });
  const segments = (key: "actual" | "target") => {
    const out: Array<Array<[number, number]>> = [[]];
    for (const p of series) {
      const value = p[key];
      if (value === null) out.push([]);
      else out[out.length - 1]!.push([x(p.period)!, y(value)]);
    }
    return out.filter((s) => s.length > 0);
  };
  for (const points of segments("target")) {
    if (points.length > 1) draws.push({ kind: "line", points, width: 1.5, colour: COLOURS.target, dash: 4 });
    else draws.push({ kind: "dot", x: points[0]![0], y: points[0]![1], r: 1.5, colour: COLOURS.target });
  }
  for (const points of segments("actual")) {
    if (points.length > 1) draws.push({ kind: "line", points, width: 2, colour: COLOURS.actual });
  }
  for (const p of series) {
    if (p.actual !== null)
      draws.push({ kind: "dot", x: x(p.period)!, y: y(p.actual), r: 2.5, colour: COLOURS.actual });
  }
  // The key: solid for the actual, dashed for the target, so they differ by more than colour.
  const keyY = top + CHART_HEIGHT - 2;
  draws.push({
    kind: "line",
    points: [
      [plot.left, keyY - 3],
      [plot.left + 20, keyY - 3],
    ],
    width: 2,
    colour: COLOURS.actual,
  });
  draws.push({ kind: "text", text: "Actual", x: plot.left + 24, y: keyY, font: "regular", size: 8 });
  draws.push({
    kind: "line",
    points: [
      [plot.left + 70, keyY - 3],
      [plot.left + 90, keyY - 3],
    ],
    width: 1.5,
    colour: COLOURS.target,
    dash: 4,
  });
  draws.push({ kind: "text", text: "Target (dashed)", x: plot.left + 94, y: keyY, font: "regular", size: 8 });
  layout.run(layout.node(layout.root, "Figure", describe(series, format, kpi.name)), draws);
}

/** "Trend of <name>: actual 23% in 2017-18 Q1, 24.2% in 2017-18 Q2; target 22% in 2017-18 Q2." */
function describe(series: readonly TrendFigure[], format: (n: number) => string, name: string): string {
  const actuals = series.filter((p) => p.actual !== null);
  const target = series.filter((p) => p.target !== null).at(-1);
  if (actuals.length === 0) return `Trend chart of ${name}: no values have been recorded yet.`;
  const first = actuals[0]!;
  const last = actuals[actuals.length - 1]!;
  const actual =
    actuals.length === 1
      ? `actual ${format(first.actual!)} in ${first.period}`
      : `actual ${format(first.actual!)} in ${first.period}, ${format(last.actual!)} in ${last.period}`;
  return `Trend chart of ${name}: ${actual}${target ? `; target ${format(target.target!)} in ${target.period}` : ""}.`;
}

/** The figures by quarter, beside the chart, as a tagged table. */
function table(layout: Layout, kpi: QuarterlyKpi, top: number): void {
  const tableNode = layout.node(layout.root, "Table");
  const right = RIGHT;
  // The quarter, then the actual and the target sharing the rest.
  const widths = [62, (right - TABLE_LEFT - 62) / 2, (right - TABLE_LEFT - 62) / 2];
  const columns = [TABLE_LEFT, TABLE_LEFT + widths[0]!, TABLE_LEFT + widths[0]! + widths[1]!];
  const caption = layout.node(tableNode, "Caption");
  layout.run(caption, [
    {
      kind: "text",
      text: fit(printable(`${kpi.code}: figures by quarter`), "bold", TABLE_SIZE, right - TABLE_LEFT),
      x: TABLE_LEFT,
      y: top + 8,
      font: "bold",
      size: TABLE_SIZE,
    },
  ]);
  const rows: Array<{ cells: string[]; header: boolean }> = [
    { cells: ["Quarter", "Actual", "Target"], header: true },
    ...kpi.series.map((p) => ({
      cells: [p.period, formatFigure(p.actual, kpi.unit), formatFigure(p.target, kpi.unit)],
      header: false,
    })),
  ];
  const rules: Draw[] = [];
  rows.forEach((row, r) => {
    const baseline = top + 18 + (r + 1) * ROW - 3;
    const tr = layout.node(tableNode, "TR");
    row.cells.forEach((cell, c) => {
      const font: FontKey = row.header ? "bold" : "regular";
      const cellNode = layout.node(tr, row.header || c === 0 ? "TH" : "TD");
      const text = fit(cell, font, TABLE_SIZE, widths[c]! - 4);
      // Figures right-aligned, as in the page's table.
      const x = c === 0 ? columns[0]! : columns[c]! + widths[c]! - 4 - textWidth(text, font, TABLE_SIZE);
      layout.run(cellNode, [{ kind: "text", text, x, y: baseline, font, size: TABLE_SIZE }]);
    });
    const ruleY = baseline + 4;
    rules.push({
      kind: "line",
      points: [
        [TABLE_LEFT, ruleY],
        [right, ruleY],
      ],
      width: r === 0 ? 1 : 0.4,
      colour: COLOURS.grid,
    });
  });
  layout.run(null, rules);
}

const UK_DATE = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

function ukDate(date: Date): string {
  return UK_DATE.format(date);
}

function write(report: QuarterlyReport, layout: Layout): Uint8Array {
  const title = printable(`${report.strategy.title} — performance, ${report.period}`);
  const dated = report.updatedAt ?? new Date(`${report.strategy.periodFrom}T00:00:00Z`);
  const { doc, use } = openTaggedPdf({
    title,
    subject: `Quarterly performance report, ${report.period} (${report.months})`,
    dated,
  });

  const root = doc.struct("Document");
  doc.addStructure(root);
  const elements = new Map<Node, PDFStructureElement>([[layout.root, root]]);
  const build = (node: Node) => {
    for (const child of node.children) {
      const element = doc.struct(child.type, child.alt === undefined ? {} : { alt: child.alt });
      elements.get(node)!.add(element);
      elements.set(child, element);
      build(child);
    }
  };
  build(layout.root);

  const draw = (d: Draw) => {
    if (d.kind === "text") {
      doc.fillColor(COLOURS.text);
      use(d.font, d.size).text(d.text, d.x, d.y, { lineBreak: false, baseline: "alphabetic" });
    } else if (d.kind === "dot") {
      doc.circle(d.x, d.y, d.r).fill(d.colour);
    } else {
      doc.save().lineWidth(d.width).strokeColor(d.colour).lineJoin("round");
      if (d.dash !== undefined) doc.dash(d.dash, { space: d.dash * 0.75 });
      const [first, ...rest] = d.points;
      doc.moveTo(first![0], first![1]);
      for (const [px, py] of rest) doc.lineTo(px, py);
      doc.stroke().restore();
    }
  };

  layout.pages.forEach((runs, index) => {
    doc.addPage({ size: [PAGE_WIDTH, PAGE_HEIGHT], margin: 0 });
    const footer = `Page ${index + 1} of ${layout.pages.length}`;
    doc.markContent("Artifact", { type: "Pagination", attached: ["Bottom"] });
    draw({
      kind: "text",
      text: footer,
      x: (PAGE_WIDTH - textWidth(footer, "regular", FOOTER_SIZE)) / 2,
      y: FOOTER_BASELINE,
      font: "regular",
      size: FOOTER_SIZE,
    });
    doc.endMarkedContent();
    for (const run of runs) {
      if (run.draws.length === 0) continue;
      let content: PDFStructureContent | null = null;
      if (run.node) content = doc.markStructureContent(run.node.type);
      else doc.markContent("Artifact", { type: "Layout" });
      run.draws.forEach(draw);
      doc.endMarkedContent();
      if (content) elements.get(run.node!)!.add(content);
    }
  });
  root.end();
  doc.end();

  const chunks: Uint8Array[] = [];
  for (let chunk: unknown = doc.read(); chunk !== null; chunk = doc.read()) chunks.push(chunk as Uint8Array);
  const bytes = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
