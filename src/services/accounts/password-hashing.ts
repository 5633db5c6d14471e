import { randomBytes } from "node:crypto";
import { hash, verify, type Algorithm } from "@node-rs/argon2";

/**
 * Password hashes: argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane: about 12 ms here), as PHC
 * strings ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash") that carry their own salt and parameters, so hashes made
 * with other parameters later still verify. The native library hashes off the event loop.
 */

// Algorithm is a const enum that the package does not export at run time (isolatedModules cannot inline it).
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether `password` matches `passwordHash`; false (never an error) for a hash that cannot be read. */
export async function passwordMatches(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * The same work as checking a real password, for an account that does not exist or has none: a sign-in then
 * takes as long whether or not the email is known, so timing does not tell an attacker which emails are.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("base64url"));
  await passwordMatches(await dummyHash, password);
}
