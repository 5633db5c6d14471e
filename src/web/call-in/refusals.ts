import { ConflictError, PermissionError, ValidationError } from "../../domain/errors.js";
import type { FormError } from "./call-in-form.js";

/**
 * A service's refusal as the page shows it: the status and the reason in the error summary. The services'
 * messages are written for people ("the call-in window closed at ..."); anything else is not a refusal but a
 * fault, left for the error pages (never a stack on the page).
 */
export function refusal(error: unknown, href: string): { status: number; errors: FormError[] } | undefined {
  const status =
    error instanceof ValidationError
      ? 400
      : error instanceof PermissionError
        ? 403
        : error instanceof ConflictError
          ? 409
          : undefined;
  if (status === undefined) return undefined;
  return { status, errors: [{ text: sentence((error as Error).message), href }] };
}

/** "the call-in window closed" → "The call-in window closed". */
export function sentence(message: string): string {
  const text = message.trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
