import { formatQuarter } from "../../domain/financial-period.js";
import type { Direction, KpiPolarity, KpiUnit } from "../../domain/kpi.js";
import { assessFigures, type Rag, type RagRule } from "../../domain/kpi-rag.js";
import type { Executor } from "../../storage/database.js";

/** A KPI's figure for one quarter, judged: RAG by the council's rule, directions of travel. */
export interface KpiValueView {
  /** "2017-18 Q2". */
  period: string;
  actual: number | null;
  target: number | null;
  rag: Rag | null;
  /** Against the quarter before. */
  direction: Direction | null;
  /** Against the same quarter a year before. */
  directionFromYearBefore: Direction | null;
  commentary: string;
  enteredBy: string;
  enteredAt: Date;
}

export interface KpiView {
  id: number;
  code: string;
  name: string;
  definition: string;
  unit: KpiUnit;
  polarity: KpiPolarity;
  dataSource: string;
  /** Oldest first. */
  values: KpiValueView[];
  /** The newest quarter with an actual, or null. */
  latest: KpiValueView | null;
}

export interface KpiRow {
  id: number;
  code: string;
  name: string;
  definition: string;
  unit: KpiUnit;
  polarity: KpiPolarity;
  dataSource: string;
}

/** numeric comes back as a decimal string ("72.50"). */
export function figure(value: string | null): number | null {
  return value === null ? null : Number(value);
}

/** The KPIs with their values, judged under `rule`, in the order given. */
export async function kpiViews(db: Executor, kpis: readonly KpiRow[], rule: RagRule): Promise<KpiView[]> {
  const ids = kpis.map((k) => k.id);
  const rows =
    ids.length === 0
      ? []
      : await db
          .selectFrom("kpiValue")
          .select([
            "kpiId",
            "startYear",
            "quarter",
            "actual",
            "target",
            "commentary",
            "enteredBy",
            "enteredAt",
          ])
          .where("kpiId", "in", ids)
          .orderBy("kpiId")
          .orderBy("startYear")
          .orderBy("quarter")
          .execute();
  return kpis.map((kpi) => {
    const own = rows.filter((row) => row.kpiId === kpi.id);
    const assessed = assessFigures(
      own.map((row) => ({
        period: { startYear: row.startYear, quarter: row.quarter as 1 | 2 | 3 | 4 },
        actual: figure(row.actual),
        target: figure(row.target),
      })),
      kpi.polarity,
      rule,
    );
    const values = assessed.map((a, i): KpiValueView => {
      const row = own[i]!;
      return {
        period: formatQuarter(a.period),
        actual: a.actual,
        target: a.target,
        rag: a.rag,
        direction: a.direction,
        directionFromYearBefore: a.directionFromYearBefore,
        commentary: row.commentary,
        enteredBy: row.enteredBy,
        enteredAt: row.enteredAt,
      };
    });
    const withActual = values.filter((v) => v.actual !== null);
    return { ...kpi, values, latest: withActual[withActual.length - 1] ?? null };
  });
}

export const KPI_COLUMNS = [
  "kpi.id",
  "kpi.code",
  "kpi.name",
  "kpi.definition",
  "kpi.unit",
  "kpi.polarity",
  "kpi.dataSource",
] as const;
