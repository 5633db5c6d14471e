import { describe, expect, it } from "vitest";
import { titleCaseIfShouting } from "../../../src/import/title-case.js";

describe("titleCaseIfShouting", () => {
  it.each([
    ["STOCKTON-ON-TEES BOROUGH COUNCIL", "Stockton-on-Tees Borough Council"],
    ["CABINET RECOMMENDATIONS PROFORMA", "Cabinet Recommendations Proforma"],
    ["KING'S LYNN AND WEST NORFOLK BOROUGH COUNCIL", "King's Lynn and West Norfolk Borough Council"],
    ["NEWCASTLE UPON TYNE CITY COUNCIL", "Newcastle upon Tyne City Council"],
    ["THE BOROUGH OF POOLE", "The Borough of Poole"],
  ])("%s → %s", (shouting, expected) => {
    expect(titleCaseIfShouting(shouting)).toBe(expected);
  });

  it("keeps text that is already in mixed case", () => {
    expect(titleCaseIfShouting("Cabinet Decision Record")).toBe("Cabinet Decision Record");
    expect(titleCaseIfShouting("London Borough of Tower Hamlets")).toBe("London Borough of Tower Hamlets");
  });
});
