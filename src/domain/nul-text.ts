/**
 * PostgreSQL text cannot hold the NUL character, and no record, form or name means one: where untrusted input
 * is stored as text, find it first, so the person gets an answer naming the field rather than a database error.
 */

/** The path ("outcomes.0.items.1") of the first string in `value` holding a NUL, or null when there is none. */
export function pathOfNul(value: unknown, path: readonly string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") || "value" : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathOfNul(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\0")].join(".");
      const found = pathOfNul(inner, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
