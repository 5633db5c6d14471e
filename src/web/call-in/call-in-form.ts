import { PRINCIPLES_OF_DECISION_MAKING } from "../../domain/call-in-request.js";

/**
 * The form that starts a call-in request: the principles of decision making the decision did not follow
 * (checkboxes named "principles"), each with its explanation ("explanation-<principle>"). Read into the grounds
 * the service takes, or the errors to show beside the fields.
 */

/** Long enough for a reasoned paragraph or several; a limit so a form cannot fill the database. */
export const MAX_EXPLANATION_LENGTH = 5000;

export interface CallInFormValues {
  principles: string[];
  explanations: Record<string, string>;
}

export interface FormError {
  text: string;
  href: string;
}

export type CallInFormResult =
  | { ok: true; grounds: { principle: string; explanation: string }[]; values: CallInFormValues }
  | { ok: false; errors: FormError[]; values: CallInFormValues };

export const EMPTY_CALL_IN_FORM: CallInFormValues = { principles: [], explanations: {} };

function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
  return typeof value === "string" ? [value] : [];
}

export function readCallInForm(body: unknown): CallInFormResult {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const known = new Set<string>(PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key));
  const chosen = new Set(texts(fields.principles).filter((key) => known.has(key)));
  const values: CallInFormValues = { principles: [], explanations: {} };
  const errors: FormError[] = [];
  const grounds: { principle: string; explanation: string }[] = [];
  for (const principle of PRINCIPLES_OF_DECISION_MAKING) {
    const explanation = (texts(fields[`explanation-${principle.key}`])[0] ?? "").trim();
    if (explanation !== "") values.explanations[principle.key] = explanation;
    if (!chosen.has(principle.key)) continue;
    values.principles.push(principle.key);
    const href = `#explanation-${principle.key}`;
    if (explanation === "") {
      errors.push({ text: `Explain how the decision did not follow “${principle.label}”`, href });
    } else if (explanation.length > MAX_EXPLANATION_LENGTH) {
      errors.push({
        text: `The explanation for “${principle.label}” must be ${MAX_EXPLANATION_LENGTH} characters or fewer`,
        href,
      });
    } else {
      grounds.push({ principle: principle.key, explanation });
    }
  }
  if (chosen.size === 0) {
    errors.push({
      text: "Select at least one principle of decision making the decision did not follow",
      href: `#principles`,
    });
  }
  return errors.length > 0 ? { ok: false, errors, values } : { ok: true, grounds, values };
}
