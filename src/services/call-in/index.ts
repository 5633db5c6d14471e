// Call-in: the deadline a council's rule gives, the window of a decision, and councillors' requests.
export {
  BANK_HOLIDAYS_FIRST_YEAR,
  BANK_HOLIDAYS_LAST_YEAR,
  getHolidayCalendar,
  listBankHolidays,
  type BankHoliday,
} from "./bank-holidays.js";
export { callInDeadlineFor } from "./call-in-deadline.js";
export { callInLineFor, NOT_APPLICABLE } from "./call-in-text.js";
export { inferCouncilCallInRule, type CouncilRuleInference } from "./infer-call-in-rule.js";
export { listOpenCallIns, type OpenCallInRequest } from "./open-requests.js";
export { signCallInRequest, startCallInRequest, type OnlineCallInResult } from "./online-call-in.js";
export { type CallInRequestView } from "./call-in-request-views.js";
export { callInWindowFor, printedCutoffTime, type CallInWindow } from "./call-in-window.js";
export {
  listCallInRequests,
  requestCallIn,
  type CallInRequestInput,
  type CallInRequestResult,
} from "./request-call-in.js";
