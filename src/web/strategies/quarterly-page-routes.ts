import { createHash } from "node:crypto";
import { NotFoundError } from "../../domain/errors.js";
import { unitLabel } from "../../domain/kpi.js";
import { ukDateOf } from "../../domain/uk-time.js";
import {
  councilIdForStrategies,
  quarterlyReport,
  renderQuarterlyPdf,
  type QuarterlyKpi,
  type QuarterlyReport,
} from "../../services/strategies/index.js";
import { trendChart } from "../charts/trend-chart.js";
import type { RoutePlugin } from "../route-plugin.js";
import { attachmentDisposition } from "../shared/format.js";
import { DIRECTION_LABELS, formatFigure, RAG_DISPLAY } from "../shared/kpi-format.js";
import { quarterFromPath, quarterLink, quarterPath } from "./quarter-paths.js";

/**
 * A strategy's performance in one quarter, public:
 *
 *   GET /strategies/:slug/:year/q:n       each priority's KPIs that quarter (actual, target, RAG as a word and a
 *                                         shape, directions against the quarter before and a year before,
 *                                         commentary), a trend chart per KPI (SVG with its title, description and
 *                                         data table), links to the quarters before and after, the PDF's link
 *   GET /strategies/:slug/:year/q:n.pdf   the same report as a tagged PDF (services/strategies/quarterly-pdf.ts)
 *
 * 404 for a year or quarter that is not one (2017-19, q5) or that the strategy's period does not cover.
 */

/** PDFs rendered, by a hash of the report they show: the page gives the file's size, the download its bytes. */
const PDF_CACHE_SIZE = 32;
const pdfCache = new Map<string, Buffer>();

function reportPdf(report: QuarterlyReport): Buffer {
  const key = createHash("sha256").update(JSON.stringify(report)).digest("hex");
  let bytes = pdfCache.get(key);
  if (!bytes) {
    bytes = Buffer.from(renderQuarterlyPdf(report));
    if (pdfCache.size >= PDF_CACHE_SIZE) pdfCache.delete(pdfCache.keys().next().value!);
    pdfCache.set(key, bytes);
  }
  return bytes;
}

export const quarterlyPageRoutes: RoutePlugin = async (app, deps) => {
  const db = () => deps.database.db;

  app.get<{ Params: { slug: string; year: string; quarter: string } }>(
    "/strategies/:slug/:year/:quarter",
    async (request, reply) => {
      const { slug, year, quarter } = request.params;
      const wanted = quarterFromPath(year, quarter);
      if (!/^[a-z0-9-]{1,80}$/.test(slug) || !wanted) {
        throw new NotFoundError(`no quarter "${year.slice(0, 20)}/${quarter.slice(0, 20)}"`);
      }
      const councilId = await councilIdForStrategies(db(), undefined, deps.config.defaultCouncil);
      const report = await quarterlyReport(
        db(),
        councilId,
        slug,
        wanted.quarter.startYear,
        wanted.quarter.quarter,
      );
      const pdf = reportPdf(report);
      if (wanted.pdf) {
        const etag = `"quarterly-${createHash("sha256").update(pdf).digest("hex").slice(0, 20)}"`;
        reply
          .header("etag", etag)
          // Figures may be corrected: check each time, download again only when the report changed.
          .header("cache-control", "no-cache")
          .header(
            "content-disposition",
            attachmentDisposition(`${slug}-${year}-q${wanted.quarter.quarter}.pdf`),
          )
          .header("x-content-type-options", "nosniff");
        const ifNoneMatch = request.headers["if-none-match"];
        if (typeof ifNoneMatch === "string" && ifNoneMatch.split(/\s*,\s*/).includes(etag)) {
          return reply.code(304).send();
        }
        return reply.type("application/pdf").send(pdf);
      }
      const heading = `${report.strategy.title} — performance, ${report.period} (${report.months})`;
      return reply.view("strategies/quarterly.njk", {
        pageTitle: `${report.strategy.title} — performance, ${report.period}`,
        heading,
        report,
        updatedOn: report.updatedAt && ukDateOf(report.updatedAt),
        strategyHref: `/strategies/${report.strategy.slug}`,
        previous: report.previous && quarterLink(report.strategy.slug, report.previous),
        next: report.next && quarterLink(report.strategy.slug, report.next),
        priorities: report.priorities.map((p) => ({ ...p, kpis: p.kpis.map((k) => kpiView(k, report)) })),
        pdf: {
          href: quarterPath(report.strategy.slug, report.quarter, true),
          size: describeSize(pdf.length),
        },
        consideredBy: report.consideredBy && {
          href: `/decisions/${report.consideredBy.id}`,
          title: report.consideredBy.title,
          meetingDate: report.consideredBy.meetingDate,
          confirmed: report.consideredBy.confirmed,
        },
      });
    },
  );
};

/** A KPI in the quarter, formatted: the template only lays it out. */
function kpiView(kpi: QuarterlyKpi, report: QuarterlyReport) {
  const v = kpi.value;
  const format = (n: number) => formatFigure(n, kpi.unit);
  return {
    code: kpi.code,
    name: kpi.name,
    anchor: `kpi-${kpi.code.toLowerCase().replace(/[^a-z0-9-]/g, "-")}`,
    polarity: kpi.polarity === "higher-is-better" ? "Higher is better" : "Lower is better",
    unit: unitLabel(kpi.unit),
    definition: kpi.definition,
    hasValue: v !== null,
    actual: v ? formatFigure(v.actual, kpi.unit) : null,
    target: v ? formatFigure(v.target, kpi.unit) : null,
    rag: v?.rag ? RAG_DISPLAY[v.rag] : null,
    direction: v?.direction ? DIRECTION_LABELS[v.direction] : null,
    directionFromYearBefore: v?.directionFromYearBefore ? DIRECTION_LABELS[v.directionFromYearBefore] : null,
    commentary: v?.commentary ?? "",
    chart: trendChart(kpi.series, {
      title: `${kpi.name}: trend to ${report.period}`,
      format,
    }),
  };
}

function describeSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
