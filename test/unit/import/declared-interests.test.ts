import { describe, expect, it } from "vitest";
import { declaredInterests } from "../../../src/import/declared-interests.js";

describe("declaredInterests", () => {
  it("finds nobody in 'None.' and 'N/A'", () => {
    expect(declaredInterests("None.")).toEqual([]);
    expect(declaredInterests("N/A")).toEqual([]);
    expect(declaredInterests("")).toEqual([]);
  });

  it("reads one declaration a sentence, with its category and the sentence as its nature", () => {
    const text =
      "Councillor Margaret Aldridge declared a personal non-prejudicial interest in the item as a member of the " +
      "Stockton Civic Trust. Cllr Tom Neal declared a disclosable pecuniary interest as the owner of a shop on " +
      "the High Street and left the meeting during consideration of the item.";
    expect(declaredInterests(text)).toEqual([
      {
        personName: "Councillor Margaret Aldridge",
        category: "personal",
        nature:
          "Councillor Margaret Aldridge declared a personal non-prejudicial interest in the item as a member of the Stockton Civic Trust.",
      },
      {
        personName: "Cllr Tom Neal",
        category: "disclosable-pecuniary",
        nature:
          "Cllr Tom Neal declared a disclosable pecuniary interest as the owner of a shop on the High Street and left the meeting during consideration of the item.",
      },
    ]);
  });

  it("tells prejudicial from non-prejudicial, and keeps a role in brackets out of the name", () => {
    expect(
      declaredInterests(
        "Councillor Sue Pearson (Cabinet Member for Health) declared a prejudicial interest.",
      )[0],
    ).toMatchObject({ personName: "Councillor Sue Pearson", category: "prejudicial" });
    expect(declaredInterests("Cllr Lee declared an interest in the item.")[0]).toMatchObject({
      personName: "Cllr Lee",
      category: "other",
    });
  });

  it("ignores sentences that declare nothing about a named member", () => {
    expect(declaredInterests("No interests were declared. The Cabinet noted the report.")).toEqual([]);
  });
});
