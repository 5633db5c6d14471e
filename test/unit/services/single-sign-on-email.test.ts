import { describe, expect, it } from "vitest";
import { verifiedEmail } from "../../../src/services/single-sign-on/index.js";

describe("the email address a provider vouches for", () => {
  it("takes email with email_verified true, in lower case", () => {
    expect(
      verifiedEmail({ sub: "a", email: " Jane.Smith@Council.example ", email_verified: true }, "email"),
    ).toEqual({
      email: "jane.smith@council.example",
    });
  });

  it("takes Entra ID's email with xms_edov true (the domain's owner verified it)", () => {
    expect(verifiedEmail({ email: "jane@council.example", xms_edov: true }, "email")).toEqual({
      email: "jane@council.example",
    });
  });

  it.each([
    ["email_verified false", { email: "jane@council.example", email_verified: false }],
    ["email_verified the string true", { email: "jane@council.example", email_verified: "true" }],
    ["no email_verified (Entra ID without xms_edov)", { email: "jane@council.example" }],
    ["xms_edov false", { email: "jane@council.example", xms_edov: false }],
    ["no email", { email_verified: true, preferred_username: "jane@council.example" }],
    [
      "an email that is not one address",
      { email: "jane@council.example, boss@council.example", email_verified: true },
    ],
  ])("refuses %s", (_what, claims) => {
    expect(verifiedEmail(claims, "email")).toHaveProperty("refused");
  });

  it("with preferred_username chosen, takes it and ignores the email claim", () => {
    expect(
      verifiedEmail(
        { preferred_username: "Jane@Council.example", email: "other@personal.example" },
        "preferred_username",
      ),
    ).toEqual({ email: "jane@council.example" });
    expect(
      verifiedEmail({ email: "jane@council.example", email_verified: true }, "preferred_username"),
    ).toHaveProperty("refused");
    // A guest's user principal name passes as an address, and matches no account (accounts are council addresses).
    expect(
      verifiedEmail(
        { preferred_username: "jane_personal.example#EXT#@council.onmicrosoft.com" },
        "preferred_username",
      ),
    ).toEqual({ email: "jane_personal.example#ext#@council.onmicrosoft.com" });
  });
});
