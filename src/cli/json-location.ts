/**
 * Where a value is in a JSON text, by its path ("priorities.0.kpis.1.unit"), so that a problem with a field can
 * be reported as FILE:LINE:COLUMN. A small scanner over text that JSON.parse has already accepted; for a key the
 * object does not have (a missing field) it gives the object's position, and null when the path leads nowhere.
 */
export function locateJsonPath(
  text: string,
  path: readonly string[],
): { line: number; column: number } | null {
  let i = 0;
  const space = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skip = (): void => {
    space();
    const c = text[i];
    if (c === '"') string();
    else if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      while (text[i] !== close) {
        if (c === "{") {
          space();
          string();
          space();
          i++; // :
        }
        skip();
        space();
        if (text[i] === ",") i++;
        space();
      }
      i++;
    } else while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  /** Moves i to the value at `rest` inside the value starting at i; false when it is not there. */
  const find = (rest: readonly string[]): boolean => {
    space();
    if (rest.length === 0) return true;
    const [key, ...more] = rest;
    const c = text[i];
    if (c !== "{" && c !== "[") return false;
    const objectStart = i;
    i++;
    let index = 0;
    space();
    while (i < text.length && text[i] !== "}" && text[i] !== "]") {
      let name = String(index);
      if (c === "{") {
        space();
        name = string();
        space();
        i++; // :
      }
      space();
      if (name === key) return find(more);
      skip();
      space();
      if (text[i] === ",") i++;
      space();
      index++;
    }
    i = objectStart;
    return more.length === 0; // a missing field: point at the object that should hold it
  };
  try {
    if (!find(path)) return null;
  } catch {
    return null;
  }
  const before = text.slice(0, i).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}
