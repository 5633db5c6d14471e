/** Kinds of interest a member may declare (Localism Act 2011 and councils' codes of conduct). */
export const INTEREST_CATEGORIES = [
  "disclosable-pecuniary",
  "other-registrable",
  "non-registrable",
  "personal",
  "prejudicial",
  "other",
] as const;
export type InterestCategory = (typeof INTEREST_CATEGORIES)[number];
