// Accounts and roles: who may sign in (passwords as argon2id hashes, after the NCSC's rules), their roles, the
// person record a councillor's account stands for, and API tokens for programs.
export { actorFor, type Actor } from "./account-actor.js";
export { type Account } from "./account-rows.js";
export { type AccountGuard } from "./account-guard.js";
export { enableAccount, getAccountById, setAccountRoles, signOutEverywhere } from "./account-changes.js";
export { normaliseEmail } from "./account-input.js";
export {
  createAccount,
  disableAccount,
  findAccountByEmail,
  findAccountById,
  getAccount,
  listAccounts,
  newAccountProblems,
  setPassword,
  verifyPassword,
  type NewAccount,
} from "./accounts.js";
export {
  createApiToken,
  findAccountByToken,
  hashApiToken,
  lastTokenUseByAccount,
  listApiTokens,
  revokeApiToken,
  TOKEN_PREFIX,
  type ApiTokenView,
} from "./api-tokens.js";
export {
  checkPassword,
  isCommonPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
} from "./password-rules.js";
