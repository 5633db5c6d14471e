import type { CallInRule } from "../../domain/call-in-rule.js";
import { NotFoundError, ValidationError } from "../../domain/errors.js";
import type { Executor } from "../../storage/database.js";
import { type Council, DEFAULT_COUNCIL, getCouncil, knownCouncils, slugForCouncilName } from "./councils.js";

/**
 * The council `ref` names: its slug ("stockton-on-tees"), an unambiguous prefix of the slug or of a word
 * boundary in it ("stockton", "stock"), or its name ("Stockton-on-Tees Borough Council"). Case does not matter.
 * NotFoundError when nothing matches (listing the councils there are), ValidationError when several do.
 */
export async function findCouncil(db: Executor, ref: string): Promise<Council> {
  const rows = await db.selectFrom("council").select(["slug", "name"]).orderBy("slug").execute();
  const slug = matchCouncil(ref, rows);
  if (slug === null) {
    throw new NotFoundError(`no council "${ref}" (${knownCouncils(rows)})`);
  }
  return getCouncil(db, slug);
}

/** The slug among `councils` that `ref` names, null when none does; ValidationError when several do. */
export function matchCouncil(
  ref: string,
  councils: ReadonlyArray<{ slug: string; name: string }>,
): string | null {
  const wanted = ref.trim().toLowerCase();
  if (wanted === "") throw new ValidationError("the council must not be empty", "council");
  const exact = councils.find((c) => c.slug === wanted || c.name.trim().toLowerCase() === wanted);
  if (exact) return exact.slug;
  const asSlug = slugForCouncilName(ref);
  const bySlug = councils.find((c) => c.slug === asSlug);
  if (bySlug) return bySlug.slug;
  if (wanted.length < 3) return null;
  const matches = councils.filter(
    (c) =>
      c.slug.startsWith(wanted) ||
      (asSlug !== "" && c.slug.startsWith(asSlug)) ||
      c.name.toLowerCase().startsWith(wanted),
  );
  if (matches.length === 1) return (matches[0] as { slug: string }).slug;
  if (matches.length > 1) {
    throw new ValidationError(
      `"${ref}" matches several councils (${matches.map((c) => c.slug).join(", ")}); give the full slug`,
      "council",
    );
  }
  return null;
}

/** A council's rule as used for a deadline: from the register, or the default rule before it is there. */
export interface RuleCouncil {
  slug: string;
  name: string;
  callInRule: CallInRule;
  minCallInSignatories: number;
  /** False when the council is not in the register yet and the default (Stockton) rule is used. */
  inRegister: boolean;
}

/**
 * The council whose rule a deadline is computed with: `ref` (or `defaultSlug` when omitted) in the register,
 * or, for the default council before anything has been imported, the default rule (DEFAULT_COUNCIL, which is
 * what the council gets when it is created). An unknown council that is not the default is a NotFoundError.
 */
export async function councilForRule(
  db: Executor,
  ref: string | undefined,
  defaultSlug: string,
): Promise<RuleCouncil> {
  const wanted = ref ?? defaultSlug;
  const rows = await db.selectFrom("council").select(["slug", "name"]).orderBy("slug").execute();
  const slug = matchCouncil(wanted, rows);
  if (slug !== null) {
    const council = await getCouncil(db, slug);
    return { ...council, inRegister: true };
  }
  const defaultName = defaultSlug === DEFAULT_COUNCIL.slug ? DEFAULT_COUNCIL.name : defaultSlug;
  if (matchCouncil(wanted, [{ slug: defaultSlug, name: defaultName }]) === defaultSlug) {
    return {
      slug: defaultSlug,
      name: defaultName,
      callInRule: DEFAULT_COUNCIL.callInRule,
      minCallInSignatories: DEFAULT_COUNCIL.minCallInSignatories,
      inRegister: false,
    };
  }
  const hint = knownCouncils(rows, `the register has no councils yet; the default council is ${defaultSlug}`);
  throw new NotFoundError(`no council "${wanted}" (${hint})`);
}
