import { type CallInDeadline, computeCallInDeadline } from "../../domain/call-in-deadline.js";
import { ValidationError } from "../../domain/errors.js";
import { type IsoDate, isValidIsoDate } from "../../domain/iso-date.js";
import type { Council } from "../councils/councils.js";
import { getHolidayCalendar } from "./bank-holidays.js";

/** The call-in deadline for a decision the council publishes on `publishedOn`, with its explanation. */
export function callInDeadlineFor(
  council: Pick<Council, "callInRule">,
  publishedOn: IsoDate,
): CallInDeadline {
  if (!isValidIsoDate(publishedOn)) {
    throw new ValidationError(
      `"${publishedOn}" is not a date; write it as YYYY-MM-DD, e.g. 2017-11-20`,
      "published",
    );
  }
  return computeCallInDeadline(
    publishedOn,
    council.callInRule,
    getHolidayCalendar(council.callInRule.holidayRegion),
  );
}
