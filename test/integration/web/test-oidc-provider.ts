import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (oidc-provider) on 127.0.0.1, on a free port, for single sign-on tests: one
 * confidential client that must use PKCE, and people whose claims the test chooses. Its own login page is
 * replaced by `signInAs`: whoever it names "signs in" at the provider and consents, as a person would on
 * Entra ID's pages; everything else (discovery, the authorization endpoint, codes, signed ID tokens, UserInfo)
 * is the provider's own.
 */

export interface ProviderPerson {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The person the next authorization signs in as (the subject, a key of `people`). */
  signInAs(subject: string): void;
  /** Follows the provider's redirects from `url` with a fresh browser's cookies, until one leaves the provider. */
  browse(url: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestOidcProvider(options: {
  redirectUri: string;
  people: Record<string, ProviderPerson>;
}): Promise<TestOidcProvider> {
  const clientId = "resolved-test";
  const clientSecret = randomBytes(24).toString("base64url");
  let subject: string | undefined;

  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith("/interaction/")) {
      signIn(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
      return;
    }
    void provider.callback()(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // Requests come only after it is made: the issuer (its address) has to be known first.
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    pkce: { required: () => true, methods: ["S256"] },
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test-key", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    features: { devInteractions: { enabled: false } },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      Interaction: 600,
      Session: 600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const person = options.people[sub];
      if (!person) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...person }) };
    },
  });

  /** The provider's login and consent pages, answered at once for `subject`. */
  async function signIn(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(request, response);
    if (subject === undefined) throw new Error("signInAs was not called");
    const grant = new provider.Grant({ accountId: subject, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      request,
      response,
      { login: { accountId: subject }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  return {
    issuer,
    clientId,
    clientSecret,
    signInAs(next) {
      subject = next;
    },
    async browse(start) {
      const cookies = new Map<string, string>();
      let url = start;
      for (let hops = 0; hops < 10; hops++) {
        if (!url.startsWith(`${issuer}/`)) return url;
        const response = await fetch(url, {
          redirect: "manual",
          headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") },
        });
        for (const header of response.headers.getSetCookie()) {
          const [pair] = header.split(";", 1);
          const at = pair!.indexOf("=");
          cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
        }
        const location = response.headers.get("location");
        if (response.status < 300 || response.status >= 400 || location === null) {
          throw new Error(`the provider answered ${response.status} at ${url}: ${await response.text()}`);
        }
        url = new URL(location, url).href;
      }
      throw new Error("the provider kept redirecting");
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
