// Signing in: sessions kept in the database, failed sign-ins counted, the server's own secrets.
export { serverSecret } from "./server-secret.js";
export {
  deleteExpiredSessions,
  deleteSession,
  endAccountSessions,
  loadSession,
  saveSession,
  type StoredSession,
} from "./session-store.js";
export {
  ACCOUNT_RULE,
  ADDRESS_RULE,
  accountKey,
  addressKey,
  blockedUntil,
  clearFailures,
  recordFailure,
  type ThrottleRule,
} from "./sign-in-throttle.js";
