import { describe, expect, it } from "vitest";
import { parseCutoffTimeInput } from "../../../src/domain/date-input.js";
import { ValidationError } from "../../../src/domain/errors.js";

describe("parseCutoffTimeInput", () => {
  it.each([
    ["midnight", "24:00"],
    [" Noon ", "12:00"],
    ["midday", "12:00"],
    ["16:00", "16:00"],
    ["9:30", "09:30"],
    ["16.00", "16:00"],
    ["24:00", "24:00"],
    ["00:00", "00:00"],
  ])("reads %j as %s", (text, expected) => {
    expect(parseCutoffTimeInput(text, "cutoff")).toBe(expected);
  });

  it.each(["25:00", "24:01", "12:60", "4pm", "", "1600"])("refuses %j, naming the field", (text) => {
    expect(() => parseCutoffTimeInput(text, "--cutoff")).toThrow(ValidationError);
    try {
      parseCutoffTimeInput(text, "--cutoff");
    } catch (error) {
      expect((error as ValidationError).field).toBe("--cutoff");
      expect((error as Error).message).toMatch(
        /is not a time; expected HH:MM \(e\.g\. 16:00\), midnight or noon/,
      );
    }
  });
});
