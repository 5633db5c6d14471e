import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/domain/errors.js";
import {
  checkPassword,
  isCommonPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "../../../src/services/accounts/index.js";

const person = { email: "jane.smith@stockton.gov.uk", name: "Jane Smith" };

function refusal(password: string, who = person): ValidationError {
  const error = checkPassword(password, who);
  expect(error, password).toBeInstanceOf(ValidationError);
  expect(error?.field).toBe("password");
  return error as ValidationError;
}

describe("checkPassword (NCSC guidance)", () => {
  it.each([
    "plenty of words in this passphrase",
    "correct pony battery nail",
    "all lower case and no digits",
    "ALLUPPERCASEWORDS",
    "tea kettle orbit Bramble",
    "Ünïcödé pässwörd ✓✓",
    "        leading spaces count",
    "x".repeat(1) + "q7#Lm2!vR9@z",
  ])("accepts %j: no composition rules", (password) => {
    expect(checkPassword(password, person)).toBeNull();
  });

  it("asks for at least 12 characters, and says so", () => {
    expect(refusal("short pass").message).toMatch(/at least 12 characters/);
    expect(refusal("").message).toMatch(/at least 12 characters/);
    expect(MIN_PASSWORD_LENGTH).toBe(12);
    // Characters as people count them: 11 emoji are 22 UTF-16 units, still too short.
    expect(refusal("🙂".repeat(11)).message).toMatch(/at least 12/);
    expect(checkPassword("g🙂h🙂j🙂k🙂l🙂m🙂", person)).toBeNull();
  });

  it("allows up to 256 characters, no more", () => {
    const words = "river stone lantern meadow ";
    const long = words.repeat(20).slice(0, MAX_PASSWORD_LENGTH - 1) + "x";
    expect(long).toHaveLength(256);
    expect(checkPassword(long, person)).toBeNull();
    expect(refusal(`${long}y`).message).toMatch(/at most 256 characters/);
  });

  it.each([
    "password1234",
    "Password1234!",
    "PASSWORD123456",
    "P@ssw0rd2024!",
    "!!Password!!!!",
    "qwertyuiop123",
    "Qwertyuiop!!",
    "123456789012",
    "1234567890123456",
    "abcdefghijklm",
    "iloveyou1234",
    "ILoveYou2024!",
    "letmeinplease",
    "Liverpool1892!",
    "Middlesbrough1",
    "manchesterunited",
    "Arsenal123456",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "passwordpassword",
    "monkeymonkey",
    "hahahahahahaha",
    "aaaaaaaaaaaaaa",
    "            ",
    "Summer2024!!!",
    "welcome123456",
    "1q2w3e4r5t6y",
    "zxcvbnm12345",
  ])("refuses the common password %j, saying what to do", (password) => {
    const error = refusal(password);
    expect(error.message).toMatch(/common/);
    expect(error.message).toMatch(/three or four random words/);
  });

  it("compares with the deny-list ignoring case", () => {
    expect(isCommonPassword("QWERTYUIOP")).toBe(true);
    expect(isCommonPassword("qwertyuiop")).toBe(true);
    expect(isCommonPassword("plenty of words in this passphrase")).toBe(false);
  });

  it("refuses a password containing the person's name or email", () => {
    for (const password of [
      "janesmith2024!!",
      "I am Jane Smith ok",
      "smith and sons ltd",
      "jane.smith@stockton",
      "hello jane how are you",
    ]) {
      expect(refusal(password).message, password).toMatch(/name or the first part of your email/);
    }
    // Parts too short to be telling are not refused.
    expect(checkPassword("al pacino is a star", { email: "al@x.gov.uk", name: "Al Li" })).toBeNull();
  });

  it("checks without a person too", () => {
    expect(checkPassword("plenty of words in this passphrase")).toBeNull();
    expect(checkPassword("password1234")).toBeInstanceOf(ValidationError);
  });
});
