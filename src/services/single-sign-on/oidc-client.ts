import * as oidc from "openid-client";
import { isLoopbackHost } from "../../config.js";
import { UnavailableError } from "../../domain/errors.js";
import { verifiedEmail, type EmailClaim, type VerifiedEmail } from "./verified-email.js";

/**
 * The relying party's half of OpenID Connect (openid-client): the authorization code flow with PKCE, state
 * and nonce, against the provider found by discovery from its issuer URL. It keeps nothing between the two
 * halves: `start` returns what the caller must keep (in the server-side session) and hand to `finish`.
 */

export interface SingleSignOnSettings {
  /** e.g. https://login.microsoftonline.com/{tenant-id}/v2.0 */
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** This site's callback, exactly as registered with the provider. */
  redirectUrl: URL;
  emailClaim: EmailClaim;
}

/** What `start` gives, to keep until the provider sends the person back: never shown to them. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcClient {
  /** The provider's sign-in page to send the person to, and the secrets that the callback is checked with. */
  start(): Promise<{ url: URL; pending: PendingSignIn }>;
  /**
   * The callback's query (`?code=...&state=...`, or the provider's `?error=...`) checked against `pending`:
   * state, PKCE and the ID token (signature, issuer, audience, expiry, nonce). Throws when any check fails;
   * otherwise says which email address the provider vouches for, if any.
   */
  finish(callbackQuery: string, pending: PendingSignIn): Promise<VerifiedEmail>;
}

const SCOPE = "openid email profile";

export function createOidcClient(settings: SingleSignOnSettings): OidcClient {
  let configuration: Promise<oidc.Configuration> | undefined;

  /** Discovered on first use, not at start-up (a provider that is down must not stop the register), and again after a failure. */
  function discover(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
        // Plain http only for a provider on this machine (src/config.ts refuses it anywhere else).
        execute: isLoopback(settings.issuer) ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        configuration = undefined;
        throw new UnavailableError("The single sign-on provider did not answer", { cause: error });
      });
    return configuration;
  }

  return {
    async start() {
      const config = await discover();
      const pending: PendingSignIn = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier: oidc.randomPKCECodeVerifier(),
      };
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl.href,
        scope: SCOPE,
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
        code_challenge_method: "S256",
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url, pending };
    },

    async finish(callbackQuery, pending) {
      const config = await discover();
      const currentUrl = new URL(settings.redirectUrl);
      currentUrl.search = callbackQuery;
      const tokens = await oidc.authorizationCodeGrant(
        config,
        currentUrl,
        {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        },
        { redirect_uri: settings.redirectUrl.href },
      );
      const idToken = tokens.claims()!;
      let claims: Record<string, unknown> = idToken;
      // Many providers (and oidc-provider by default) put the email claims only in the UserInfo response; its
      // subject must be the ID token's (fetchUserInfo checks), and the ID token's own claims win.
      if (idToken[settings.emailClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
        const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
        claims = { ...userInfo, ...idToken };
      }
      return verifiedEmail(claims, settings.emailClaim);
    },
  };
}

function isLoopback(url: URL): boolean {
  return url.protocol === "http:" && isLoopbackHost(url.hostname);
}
