import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ValidationError } from "../../domain/errors.js";

/**
 * What a new password must be, after the NCSC's password guidance: long enough, not one of the passwords
 * attackers try first, not the person's own name or email, and nothing else. No composition rules (a digit, a
 * capital, a symbol): they make passwords harder to remember, not harder to guess, and people answer them with
 * "Password1!". Every character is allowed, spaces included; nothing is trimmed or truncated.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

const ADVICE = "three or four random words together make a strong password that is easy to remember";

/**
 * Null when `password` may be used by the person named (`name`, `email`); otherwise a ValidationError on the
 * field "password" that says what to do instead.
 */
export function checkPassword(
  password: string,
  person: { email?: string | null; name?: string | null } = {},
): ValidationError | null {
  // Characters as people count them: an emoji or an accented letter is one, not two UTF-16 units.
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return new ValidationError(
      `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters; ${ADVICE}`,
      "password",
    );
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return new ValidationError(`Choose a password of at most ${MAX_PASSWORD_LENGTH} characters`, "password");
  }
  if (isCommonPassword(password)) {
    return new ValidationError(
      `This password is one of the most common, so it is easy to guess. Choose another; ${ADVICE}`,
      "password",
    );
  }
  if (containsOwnDetails(password, person)) {
    return new ValidationError(
      "Choose a password that does not contain your name or the first part of your email address",
      "password",
    );
  }
  return null;
}

/**
 * Whether `password` is on the deny-list: as it is, or once the digits, symbols and spaces people put around
 * a word are taken off ("Password123!"), simple substitutions undone ("p@ssw0rd"), a word typed twice
 * ("passwordpassword"), or a run along the keyboard or the alphabet ("1234567890ab", "qwertyuiopas").
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
  const squashed = core.replace(/\s+/g, "");
  const candidates = new Set([lower, core, squashed, unLeet(lower), unLeet(core), unLeet(squashed)]);
  for (const candidate of candidates) {
    if (candidate === "") continue;
    if (list.has(candidate)) return true;
    const unit = repeatedUnit(candidate);
    if (unit !== null && (unit.length <= 4 || list.has(unit))) return true;
  }
  const compact = lower.replace(/\s+/g, "");
  return compact === "" || SEQUENCES.some((sequence) => sequence.includes(compact));
}

/** The shortest string that `text` is two or more copies of, or null. */
function repeatedUnit(text: string): string | null {
  const match = /^(.+?)\1+$/su.exec(text);
  return match ? (match[1] as string) : null;
}

const LEET: Readonly<Record<string, string>> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "8": "b",
  "@": "a",
  $: "s",
  "!": "i",
  "|": "l",
  "+": "t",
};

function unLeet(text: string): string {
  // Only inside the word: "p@ssw0rd" → "password"; digits and symbols around it were taken off already.
  const inner = text.replace(/[^\p{L}]+$/u, "");
  return [...inner].map((char) => LEET[char] ?? char).join("");
}

/** Runs people type without thinking, forwards and backwards; repeated so a long run still falls inside. */
const SEQUENCES = [
  "abcdefghijklmnopqrstuvwxyz",
  "0123456789",
  "qwertyuiop",
  "asdfghjkl",
  "zxcvbnm",
  "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
  "qazwsxedcrfvtgbyhnujmikolp",
  "1q2w3e4r5t6y7u8i9o0p",
  "q1w2e3r4t5y6u7i8o9p0",
].flatMap((run) => {
  const reversed = [...run].reverse().join("");
  return [run.repeat(4), reversed.repeat(4)];
});

/** A name or email part shorter than this is too common a string to refuse ("Al", "jo@…"). */
const MIN_OWN_PART = 4;

function containsOwnDetails(
  password: string,
  person: { email?: string | null; name?: string | null },
): boolean {
  const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
  const haystack = letters(password);
  const parts: string[] = [];
  const local = person.email?.split("@")[0] ?? "";
  if (local !== "") parts.push(local, ...local.split(/[._+-]+/));
  const name = person.name ?? "";
  if (name.trim() !== "") parts.push(name, ...name.split(/[\s'’.-]+/));
  return parts.map(letters).some((part) => part.length >= MIN_OWN_PART && haystack.includes(part));
}

let cached: ReadonlySet<string> | undefined;

/**
 * The deny-list, read once. The file lives beside this source file; from dist/ the path goes back to src/
 * (the package ships src/, as it does the web templates).
 */
function commonPasswords(): ReadonlySet<string> {
  if (cached) return cached;
  const file = fileURLToPath(new URL("../../../src/services/accounts/common-passwords.txt", import.meta.url));
  cached = new Set(
    readFileSync(file, "utf8")
      .split(/\r?\n/)
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line !== "" && !line.startsWith("#")),
  );
  return cached;
}
