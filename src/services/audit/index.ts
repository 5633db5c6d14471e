// The audit log: appending entries (in the caller's transaction) and verifying its hash chains.
export { appendAudit, appendAuditEntries, type AuditEntry } from "./audit-log.js";
export {
  chainHash,
  GENESIS_HASH,
  verifyAuditChain,
  type AuditChainReport,
  type ChainMismatch,
  type ChainTable,
} from "./audit-chain.js";
