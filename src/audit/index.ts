// Audit: the append-only, hash-chained record of who read or changed what, kept apart from case history.

export {
  type AuditQuery,
  appendAudit,
  appendAuditIn,
  listAudit,
  type VerifyResult,
  verifyAuditChain,
} from './audit.repository';
export { type AuditEntry, type ChainBreak, canonicalJson, type StoredAuditEntry } from './audit-chain';
