import { scaleLinear, scalePoint } from "d3-scale";
import { line } from "d3-shape";

/**
 * A KPI's trend over quarters as an SVG line chart, drawn on the server (d3-scale for the axes, d3-shape for the
 * lines) and laid out by partials/trend-chart.njk: no script, no inline style (the CSP allows neither), a title
 * and a one-sentence description for screen readers, and the same numbers in a table beside it, so the chart is
 * never the only way to read them. Coordinates are rounded, so the same data always gives the same bytes.
 */

export interface TrendPoint {
  /** The quarter, as written: "2017-18 Q2". */
  period: string;
  actual: number | null;
  target: number | null;
}

export interface TrendChartOptions {
  /** The KPI's name: the chart's title. */
  title: string;
  /** A value as a reader reads it ("72%", "£1,250", "12 days"). */
  format: (value: number) => string;
  width?: number;
  height?: number;
}

export interface TrendChart {
  width: number;
  height: number;
  title: string;
  /** One sentence: where the actual went, and the latest target. */
  description: string;
  /** SVG path data; "" when there are fewer than one value. */
  actualPath: string;
  targetPath: string;
  /** A marker per actual value, with its label for the tooltip (<title>). */
  markers: { x: number; y: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xLabels: { x: number; label: string }[];
  plot: { left: number; right: number; top: number; bottom: number };
  /** The data table: every quarter with its actual and target, formatted. */
  rows: { period: string; actual: string; target: string }[];
}

const MARGIN = { top: 16, right: 16, bottom: 40, left: 64 };
const round = (n: number) => Math.round(n * 10) / 10;

export function trendChart(points: readonly TrendPoint[], options: TrendChartOptions): TrendChart {
  const width = options.width ?? 560;
  const height = options.height ?? 240;
  const values = points.flatMap((p) => [p.actual, p.target]).filter((v): v is number => v !== null);
  const [low, high] = values.length === 0 ? [0, 1] : [Math.min(0, ...values), Math.max(...values)];
  const y = scaleLinear()
    .domain([low, high === low ? low + 1 : high])
    .nice(5);
  // Room on the left for the longest tick label ("£1,400,000" is wider than "75%"), about 7px a character.
  const longest = Math.max(0, ...y.ticks(5).map((tick) => options.format(tick).length));
  const plot = {
    left: Math.max(MARGIN.left, Math.ceil(longest * 7.2) + 12),
    right: width - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
  };
  y.range([plot.bottom, plot.top]);
  const x = scalePoint<string>()
    .domain(points.map((p) => p.period))
    .range([plot.left, plot.right])
    .padding(0.5);
  const path = (key: "actual" | "target") =>
    line<TrendPoint>()
      .defined((p) => p[key] !== null)
      .x((p) => round(x(p.period) ?? 0))
      .y((p) => round(y(p[key] as number)))(points as TrendPoint[]) ?? "";
  const format = (value: number | null) => (value === null ? "No value" : options.format(value));
  return {
    width,
    height,
    title: options.title,
    description: describe(points, options.format),
    actualPath: path("actual"),
    targetPath: path("target"),
    markers: points
      .filter((p) => p.actual !== null)
      .map((p) => ({
        x: round(x(p.period) ?? 0),
        y: round(y(p.actual as number)),
        label: `${p.period}: ${format(p.actual)}`,
      })),
    yTicks: y.ticks(5).map((tick) => ({ y: round(y(tick)), label: options.format(tick) })),
    xLabels: xLabels(points, plot.right - plot.left).map((p) => ({
      x: round(x(p.period) ?? 0),
      label: p.period,
    })),
    plot,
    rows: points.map((p) => ({ period: p.period, actual: format(p.actual), target: format(p.target) })),
  };
}

/** About the width of "2017-18 Q2" at the chart's 12px, with a gap. */
const LABEL_WIDTH = 72;

/**
 * The quarters to label on the x axis: all of them when they fit, else every second, third ... counted back from
 * the latest, so the quarter the page is about is always labelled (twelve quarters of a three-year strategy would
 * otherwise overlap). The data table has every quarter.
 */
function xLabels(points: readonly TrendPoint[], width: number): TrendPoint[] {
  const step = Math.max(1, Math.ceil((points.length * LABEL_WIDTH) / width));
  return points.filter((_, i) => (points.length - 1 - i) % step === 0);
}

/** "Actual 68% in 2017-18 Q1, 74% in 2017-18 Q4; target 75% in 2017-18 Q4." */
function describe(points: readonly TrendPoint[], format: (value: number) => string): string {
  const actuals = points.filter((p) => p.actual !== null);
  const targets = points.filter((p) => p.target !== null);
  if (actuals.length === 0) return "No values have been recorded yet.";
  const first = actuals[0]!;
  const last = actuals[actuals.length - 1]!;
  const actual =
    actuals.length === 1
      ? `Actual ${format(first.actual!)} in ${first.period}`
      : `Actual ${format(first.actual!)} in ${first.period}, ${format(last.actual!)} in ${last.period}`;
  const target = targets[targets.length - 1];
  return target ? `${actual}; target ${format(target.target!)} in ${target.period}.` : `${actual}.`;
}
