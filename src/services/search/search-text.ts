import { sql } from "kysely";
import type { Executor } from "../../storage/database.js";
import { TSQUERY } from "./search-filters.js";

/** A search's words as PostgreSQL reads them: what they look for, and what that makes a search cost. */
export interface TextQuery {
  q: string;
  hasTerms: boolean;
  /** Lexemes the query looks for (not those it excludes), as prefixes, to find where a snippet starts. */
  lexemes: string[];
  /** The lexemes it looks for, as they are (for highlighting). */
  terms: string[];
  /** Whether it has "or" or "-word" (not every term must appear). */
  anyOrNot: boolean;
  /** Whether it has a phrase ("leisure centre"), which only a record's vector can confirm, not the index. */
  phrase: boolean;
}

export async function analyseText(db: Executor, q: string): Promise<TextQuery> {
  const { rows } = await sql<{ nodes: number; tree: string }>`
    select numnode(tq) as nodes, querytree(tq) as tree from ${TSQUERY(q)} as tq`.execute(db);
  const tree = rows[0]?.tree ?? "";
  // The words it looks for ('word'), not those it excludes (!'word').
  const lexemes = [...tree.matchAll(/(!?)'((?:[^']|'')*)'/g)]
    .filter((m) => m[1] !== "!")
    .map((m) => (m[2] as string).replace(/''/g, "'"));
  // querytree keeps what an index can look for: "T" (or nothing) when there is no word to look for, as for
  // a query that only excludes words, which would have to read every decision.
  // To find the first match in the text, a lexeme is looked for as the start of a word: stems mostly are
  // ("placement" in "placements"), except where the stemmer made a final y an i ("energi" for "energy").
  const prefixes = lexemes.map((lexeme) =>
    lexeme.length > 3 && lexeme.endsWith("i") ? lexeme.slice(0, -1) : lexeme,
  );
  return {
    q,
    hasTerms: (rows[0]?.nodes ?? 0) > 0 && lexemes.length > 0,
    lexemes: [...new Set(prefixes)],
    terms: [...new Set(lexemes)],
    anyOrNot: /[|!]/.test(tree),
    phrase: /<(?:\d+|-)>/.test(tree),
  };
}
