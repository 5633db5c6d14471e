import { sql } from "kysely";
import { quarterOf } from "../../domain/financial-period.js";
import type { IsoDate } from "../../domain/iso-date.js";
import type { Executor } from "../../storage/database.js";
import { quarterIndex } from "./commitment-views.js";

/**
 * Which later decisions may fulfil an open commitment, best first, each with a score from 0 to 1:
 *
 *   score = 0.6 × words + 0.25 × timing + 0.15 × same decision maker
 *
 * - words: how many of the commitment's words (English stems, as the decision search indexes them; words every
 *   council report uses, like "report" and "Cabinet", and month names left out) the decision's text holds, half
 *   over its whole indexed text and half over its title: "A report on educational attainment of children in
 *   care to Cabinet in December" finds "Educational Attainment of Children in Care".
 * - timing: 1 for a decision made in the due quarter, 0.8 earlier, then 0.6, 0.4, 0.2 for one, two, three
 *   quarters late, 0.1 later still.
 * - same decision maker: the body that made the commitment.
 *
 * Candidates are the same council's published decisions made after the commitment's meeting that share at least
 * one of its words, never one an officer rejected for it. A decision sharing under a quarter of the words is not
 * suggested.
 */

export interface FulfilmentSuggestion {
  decisionId: number;
  title: string;
  meetingDate: IsoDate;
  score: number;
}

/** Stems too common in council records to tell one decision from another. */
const COMMON_STEMS = [
  "report",
  "updat",
  "cabinet",
  "council",
  "consid",
  "member",
  "januari",
  "februari",
  "march",
  "april",
  "may",
  "june",
  "juli",
  "august",
  "septemb",
  "octob",
  "novemb",
  "decemb",
  "next",
  "quarter",
  "would",
  "will",
];

const MIN_WORDS = 0.25;
const CANDIDATES = 50;

function timing(meetingDate: IsoDate, dueIndex: number): number {
  const late = quarterIndex(quarterOf(meetingDate)) - dueIndex;
  if (late === 0) return 1;
  if (late < 0) return 0.8;
  return [0.6, 0.4, 0.2][late - 1] ?? 0.1;
}

/** Up to `limit` suggestions for one commitment (none when it is not open, or has no telling words). */
export async function suggestFulfilments(
  db: Executor,
  commitmentId: number,
  limit = 5,
): Promise<FulfilmentSuggestion[]> {
  const { rows } = await sql<{
    id: number;
    title: string;
    meetingDate: IsoDate;
    sameBody: boolean;
    dueIndex: number;
    words: number;
    titleWords: number;
    total: number;
  }>`
    with c as (
      select c.id, c.decision_id, c.due_start_year * 4 + c.due_quarter - 1 as due_index,
             d.council_id, d.body_id, d.meeting_date, c.text
      from commitment c join decision d on d.id = c.decision_id
      where c.id = ${commitmentId} and c.status = 'open'
    ),
    words as (
      select distinct lex from c, unnest(tsvector_to_array(to_tsvector('english', c.text))) as lex
      where length(lex) > 2 and lex not in (${sql.join(COMMON_STEMS.map((stem) => sql.lit(stem)))})
    ),
    q as (
      select string_agg(quote_literal(lex), ' | ')::tsquery as query, count(*)::int as total from words
    )
    select d.id, d.title, d.meeting_date as "meetingDate", d.body_id = c.body_id as "sameBody",
           c.due_index::int as "dueIndex", q.total,
           (select count(*) from words w where d.search @@ quote_literal(w.lex)::tsquery)::int as words,
           (select count(*) from words w where d.search @@ (quote_literal(w.lex) || ':A')::tsquery)::int
             as "titleWords"
    from c cross join q
    join decision d on d.council_id = c.council_id and d.status = 'published' and d.id <> c.decision_id
      and d.meeting_date > c.meeting_date and d.search @@ q.query
    where q.total > 0
      and not exists (
        select 1 from commitment_suggestion_review r
        where r.commitment_id = c.id and r.decision_id = d.id and r.verdict = 'rejected')
    order by ts_rank(d.search, q.query) desc, d.meeting_date, d.id
    limit ${CANDIDATES}`.execute(db);

  return rows
    .map((row) => {
      const words = 0.5 * (row.words / row.total) + 0.5 * (row.titleWords / row.total);
      const score =
        0.6 * words + 0.25 * timing(row.meetingDate, row.dueIndex) + 0.15 * (row.sameBody ? 1 : 0);
      return {
        decisionId: row.id,
        title: row.title,
        meetingDate: row.meetingDate,
        score: Math.round(score * 100) / 100,
        shared: row.words / row.total,
      };
    })
    .filter((s) => s.shared >= MIN_WORDS)
    .sort(
      (a, b) =>
        b.score - a.score || a.meetingDate.localeCompare(b.meetingDate) || a.decisionId - b.decisionId,
    )
    .slice(0, limit)
    .map(({ shared: _shared, ...suggestion }) => suggestion);
}
