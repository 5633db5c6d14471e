/**
 * Which email address an OpenID Connect provider vouches for, from the claims it signed (the ID token, with
 * the UserInfo response's claims where the ID token lacks them). Strict by default: an address is only used
 * when the provider says it checked it, since the account it opens is matched on the address alone.
 *
 * - `email`: the `email` claim with `email_verified: true` (OpenID Connect Core, section 5.1), or with Entra
 *   ID's optional claim `xms_edov: true` ("email domain owner verified": the address is on a domain the
 *   tenant has proved it owns). Entra ID never sends `email_verified`, and its `email` claim alone may be an
 *   unverified address a user or guest typed, which is how accounts were taken over elsewhere ("nOAuth").
 * - `preferred_username`: Entra ID's user principal name, which only the tenant's administrators set, on
 *   the tenant's verified domains. For a single-tenant issuer only (src/config.ts refuses common,
 *   organizations and consumers) and for councils whose sign-in names are their email addresses.
 */

export type EmailClaim = "email" | "preferred_username";

export type VerifiedEmail =
  | { email: string }
  /** Why no address was accepted: for the log, never shown (the page says the same whatever the reason). */
  | { refused: string };

/** Something that looks like one address: no spaces, one @, a dot in the domain. */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function verifiedEmail(
  claims: Readonly<Record<string, unknown>>,
  emailClaim: EmailClaim,
): VerifiedEmail {
  const value = claims[emailClaim];
  if (typeof value !== "string" || value.trim() === "") {
    return { refused: `the provider sent no ${emailClaim} claim` };
  }
  const email = value.trim().toLowerCase();
  if (!ADDRESS.test(email) || email.length > 320) {
    return { refused: `the ${emailClaim} claim is not an email address` };
  }
  if (emailClaim === "email" && claims.email_verified !== true && claims.xms_edov !== true) {
    return { refused: "the provider does not say the email address is verified (email_verified)" };
  }
  return { email };
}
