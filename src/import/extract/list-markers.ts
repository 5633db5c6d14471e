/**
 * Visible list markers ("a.", "iv.", "3.") rebuilt from a numbering style and a counter. HTML
 * lists and Word auto-numbering both store the style, not the text the reader sees, and the
 * proforma parser needs the text ("a. ...", "1. ...") to tell lettered record points from
 * numbered resolutions.
 */
export type CounterStyle =
  | "decimal"
  | "decimal-zero"
  | "lower-alpha"
  | "upper-alpha"
  | "lower-roman"
  | "upper-roman"
  | "bullet"
  | "none";

/** The marker printed for unordered items: the seeds and the parser use "-" for bullets. */
export const BULLET_MARKER = "-";

const ROMAN: ReadonlyArray<readonly [number, string]> = [
  [1000, "m"],
  [900, "cm"],
  [500, "d"],
  [400, "cd"],
  [100, "c"],
  [90, "xc"],
  [50, "l"],
  [40, "xl"],
  [10, "x"],
  [9, "ix"],
  [5, "v"],
  [4, "iv"],
  [1, "i"],
];

function toRoman(n: number): string {
  let rest = n;
  let out = "";
  for (const [value, letters] of ROMAN) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/** 1 → a, 26 → z, 27 → aa: the way Word and CSS both continue past z. */
function toAlpha(n: number): string {
  const letter = String.fromCharCode(97 + ((n - 1) % 26));
  return letter.repeat(Math.floor((n - 1) / 26) + 1);
}

/** The counter as the reader sees it; values below 1 fall back to decimal, as browsers do. */
export function formatCounter(n: number, style: CounterStyle): string {
  if (style === "none") return "";
  if (style === "bullet") return BULLET_MARKER;
  if (n < 1 || style === "decimal") return String(n);
  switch (style) {
    case "decimal-zero":
      return n < 10 ? `0${n}` : String(n);
    case "lower-alpha":
      return toAlpha(n);
    case "upper-alpha":
      return toAlpha(n).toUpperCase();
    case "lower-roman":
      return toRoman(n);
    case "upper-roman":
      return toRoman(n).toUpperCase();
  }
}
