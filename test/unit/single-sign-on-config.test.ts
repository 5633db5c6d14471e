import { describe, expect, it } from "vitest";
import { describeConfig, loadConfig } from "../../src/config.js";
import { ValidationError } from "../../src/domain/errors.js";

/** The single sign-on settings (RESOLVED_OIDC_*), checked when the configuration is read at start-up. */

const TENANT = "4f3c0b6e-2a1d-4c8e-9b7a-1d2e3f4a5b6c";
const SECRET = "xQ8~not.a.real.secret.but.long.enough";
const ENTRA = {
  RESOLVED_OIDC_ISSUER: `https://login.microsoftonline.com/${TENANT}/v2.0`,
  RESOLVED_OIDC_CLIENT_ID: "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
  RESOLVED_OIDC_CLIENT_SECRET: SECRET,
  RESOLVED_OIDC_REDIRECT_URL: "https://decisions.council.example/sign-in/sso/callback",
};

function refusal(env: Record<string, string>): ValidationError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).not.toContain(SECRET);
    return error as ValidationError;
  }
  throw new Error("the configuration was accepted");
}

describe("single sign-on configuration", () => {
  it("is off when none of it is set, and on with all four", () => {
    const off = loadConfig({});
    expect(off.oidcIssuer).toBeUndefined();
    const on = loadConfig(ENTRA);
    expect(on).toMatchObject({
      oidcIssuer: ENTRA.RESOLVED_OIDC_ISSUER,
      oidcClientId: ENTRA.RESOLVED_OIDC_CLIENT_ID,
      oidcClientSecret: SECRET,
      oidcRedirectUrl: ENTRA.RESOLVED_OIDC_REDIRECT_URL,
      oidcButtonLabel: "Sign in with single sign-on",
      oidcEmailClaim: "email",
    });
    expect(
      loadConfig({ ...ENTRA, RESOLVED_OIDC_BUTTON_LABEL: "Sign in with Microsoft" }).oidcButtonLabel,
    ).toBe("Sign in with Microsoft");
  });

  it.each(Object.keys(ENTRA))("refuses to start with %s missing, naming what is missing", (missing) => {
    const env: Record<string, string> = { ...ENTRA };
    delete env[missing];
    const error = refusal(env);
    expect(error.field).toBe(missing);
    expect(error.message).toContain("single sign-on needs RESOLVED_OIDC_ISSUER");
    expect(error.message).toContain(`missing: ${missing}`);
  });

  it("names every missing setting when only one is set", () => {
    const error = refusal({ RESOLVED_OIDC_CLIENT_SECRET: SECRET });
    expect(error.message).toContain(
      "missing: RESOLVED_OIDC_ISSUER, RESOLVED_OIDC_CLIENT_ID, RESOLVED_OIDC_REDIRECT_URL",
    );
  });

  it.each([
    ["not a URL", "login.microsoftonline.com"],
    ["plain http to another machine", "http://idp.council.example"],
    ["Entra ID's multi-tenant issuer", "https://login.microsoftonline.com/common/v2.0"],
    ["Entra ID's organizations issuer", "https://login.microsoftonline.com/organizations/v2.0"],
  ])("refuses an issuer that is %s", (_what, issuer) => {
    expect(refusal({ ...ENTRA, RESOLVED_OIDC_ISSUER: issuer }).field).toBe("RESOLVED_OIDC_ISSUER");
  });

  it("takes plain http only from this machine (a developer's or a test's provider)", () => {
    for (const issuer of [
      "http://127.0.0.1:8443",
      "http://localhost:8080/realms/council",
      "http://[::1]:9000",
    ]) {
      expect(loadConfig({ ...ENTRA, RESOLVED_OIDC_ISSUER: issuer }).oidcIssuer, issuer).toBe(issuer);
    }
  });

  it.each([
    ["another path", "https://decisions.council.example/auth/callback"],
    ["plain http to another machine", "http://decisions.council.example/sign-in/sso/callback"],
    ["not a URL", "/sign-in/sso/callback"],
  ])("refuses a redirect URL with %s", (_what, url) => {
    expect(refusal({ ...ENTRA, RESOLVED_OIDC_REDIRECT_URL: url }).field).toBe("RESOLVED_OIDC_REDIRECT_URL");
  });

  it("takes email or preferred_username as the claim to match, nothing else", () => {
    expect(loadConfig({ ...ENTRA, RESOLVED_OIDC_EMAIL_CLAIM: "preferred_username" }).oidcEmailClaim).toBe(
      "preferred_username",
    );
    const error = refusal({ ...ENTRA, RESOLVED_OIDC_EMAIL_CLAIM: "upn" });
    expect(error.field).toBe("RESOLVED_OIDC_EMAIL_CLAIM");
    expect(error.message).toContain("must be email or preferred_username");
  });

  it("never shows the client secret when the configuration is described", () => {
    const described = JSON.stringify(describeConfig(loadConfig(ENTRA)));
    expect(described).not.toContain(SECRET);
    expect(described).toContain('"oidcClientSecret":"[redacted]"');
  });
});
