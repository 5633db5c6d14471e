/**
 * The items every meeting has that record how the meeting ran, not what it decided: apologies,
 * declarations of interest, the last meeting's minutes, urgent business, excluding the press and public,
 * the date of the next meeting. Even when minuted with "RESOLVED that the minutes of the meeting held on
 * ... be confirmed" or "RESOLVED that the press and public be excluded", they are not decisions for the
 * register, so the minutes layouts recognise them by title and make no record of them.
 */
const PROCEDURAL_TITLES: readonly RegExp[] = [
  /^apologies\b/,
  /^(?:apologies|substitutions?|attendance)\b.*\b(?:absence|substitut\w*|members)\b/,
  /^substitut(?:e|ions?)\b/,
  /^(?:declarations?|disclosures?|notification) of (?:[\w']+ )*interests?\b/,
  /^(?:members'? )?interests?$/,
  /^(?:dispensations?)$/,
  /^(?:minutes|previous minutes|(?:the )?minutes of (?:the )?(?:previous|last) meeting)\b/,
  /^(?:to )?(?:confirm|approve|sign|receive)(?:ation|al)? (?:of )?(?:the )?minutes\b/,
  /^(?:confirmation|approval|signing) of (?:the )?minutes\b/,
  /^(?:matters arising)\b/,
  /^(?:any )?(?:other )?urgent (?:business|items?|matters?)\b/,
  /^any other business\b/,
  /^(?:items? of )?urgent business\b/,
  /^exclusion of (?:the )?(?:press|public)\b/,
  /^(?:to )?exclude the (?:press|public)\b/,
  /^(?:local government act 1972 )?[-–: ]*exclusion of (?:the )?(?:press|public)\b/,
  /^(?:the )?date(?:s)?(?: and time)?(?: and venue)? of (?:the )?(?:next|future) meetings?\b/,
  /^next meeting\b/,
  /^(?:the )?(?:chair(?:man|person)?|mayor|leader)(?:'s|’s)? announcements?\b/,
  /^announcements?\b/,
];

/** Whether an item's title (as cleaned, any case) names a procedural item that decides nothing. */
export function isProceduralTitle(title: string): boolean {
  const plain = title
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/^\s*(?:to\s+)?(?:note|receive|consider)\s+(?:any\s+)?/, "")
    .trim();
  return PROCEDURAL_TITLES.some((re) => re.test(plain));
}
