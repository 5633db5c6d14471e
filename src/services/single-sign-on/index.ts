// Single sign-on with OpenID Connect (Microsoft Entra ID, or any provider): the flow with the provider, which
// email address it vouches for, and the existing account that address signs in to.
export {
  createOidcClient,
  type OidcClient,
  type PendingSignIn,
  type SingleSignOnSettings,
} from "./oidc-client.js";
export { accountForVerifiedEmail, type SingleSignOnAccount } from "./single-sign-on-account.js";
export { verifiedEmail, type EmailClaim, type VerifiedEmail } from "./verified-email.js";
