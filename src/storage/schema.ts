import type { ColumnType, Generated, GeneratedAlways, JSONColumnType, Selectable } from "kysely";
import type { DecisionRecord, Outcome } from "../domain/decision-record.js";
import { INTEREST_CATEGORIES, type InterestCategory } from "../domain/interest-category.js";
import type { IsoDate } from "../domain/iso-date.js";
import type { KpiPolarity, KpiUnit } from "../domain/kpi.js";
import type { Role } from "../domain/roles.js";

/**
 * The database as Kysely sees it, after every migration in ./migrations: tables singular snake_case in SQL,
 * camelCase here (CamelCasePlugin). Keep in step with the migrations.
 *
 * Values: date columns are IsoDate strings ("2017-11-20") both ways; timestamptz are Date when read; bigint is
 * number; bytea is Buffer when read. jsonb columns are read as parsed values but written as JSON text
 * (JSON.stringify(value)): the pg driver would turn a JavaScript array into a Postgres array literal.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** An instant with a database default (now()). */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** Set by a trigger on every UPDATE. */
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Instant = ColumnType<Date, Date | string, Date | string>;
type OptionalInstant = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** A generated identity: never written. */
type Id = GeneratedAlways<number>;
/** jsonb with a database default. */
type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
/** A SHA-256 in hex, computed by the database's hash-chain triggers (src/services/audit/audit-chain.ts). */
type ChainHash = GeneratedAlways<string>;

export const BODY_KINDS = ["executive", "committee", "individual-member", "officer"] as const;
export type BodyKind = (typeof BODY_KINDS)[number];
export const PERSON_ROLES = ["councillor", "officer"] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];
export const MEMBERSHIP_ROLES = ["chair", "vice-chair", "member"] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
export const MEETING_STATUSES = ["scheduled", "held", "postponed", "cancelled"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const DECISION_STATUSES = ["draft", "published", "withdrawn"] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];
export const SCRUTINY_OUTCOMES = ["no-further-action", "referred-back", "referred-to-council"] as const;
export type ScrutinyOutcome = (typeof SCRUTINY_OUTCOMES)[number];
export { INTEREST_CATEGORIES, type InterestCategory };

export interface CouncilTable {
  id: Id;
  /** Unique, lower-case words joined by hyphens: "stockton-on-tees". */
  slug: string;
  name: string;
  /** The council's call-in rule (window, counting, cutoff); its shape belongs to the domain. */
  callInRule: JSONColumnType<JsonObject>;
  minCallInSignatories: Generated<number>;
  /** Whole pounds; null when the constitution gives no figure. */
  keyDecisionThreshold: number | null;
  /** How KPI figures are rated red, amber or green (src/domain/kpi-rag.ts reads it). */
  kpiRagRule: JsonWithDefault<JsonObject>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** Extra days the council does not count as working days (besides weekends and bank holidays). */
export interface CouncilNonWorkingDayTable {
  councilId: number;
  day: IsoDate;
  description: Generated<string>;
  createdAt: CreatedAt;
}

export interface BodyTable {
  id: Id;
  councilId: number;
  /** Unique within the council: "Cabinet", "Cabinet Member for Adult Social Care". */
  name: string;
  kind: BodyKind;
  /** An overview and scrutiny committee (where calls-in go). */
  scrutiny: Generated<boolean>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface PersonTable {
  id: Id;
  councilId: number;
  name: string;
  role: PersonRole;
  /** Councillors only (a check constraint refuses them for officers). */
  ward: string | null;
  party: string | null;
  jobTitle: string | null;
  /** A cabinet member's portfolio ("Adult Social Care"); councillors only. */
  portfolio: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface BodyMembershipTable {
  id: Id;
  bodyId: number;
  personId: number;
  role: Generated<MembershipRole>;
  startedOn: IsoDate | null;
  endedOn: IsoDate | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface MeetingTable {
  id: Id;
  bodyId: number;
  date: IsoDate;
  status: Generated<MeetingStatus>;
  location: string | null;
  sourceUrl: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface AgendaItemTable {
  id: Id;
  meetingId: number;
  /** Order on the agenda from 1, unique within the meeting. */
  position: number;
  /** As printed: "5", "CAB/41/25". */
  number: string | null;
  title: string;
  /** Schedule 12A paragraph (1-7) when considered in private. */
  exemptParagraph: number | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** An original document, byte for byte. sha256 (hex) and size are computed by the database from the bytes. */
export interface SourceDocumentTable {
  id: Id;
  bytes: ColumnType<Buffer, Uint8Array, Uint8Array>;
  sha256: GeneratedAlways<string>;
  size: GeneratedAlways<number>;
  mediaType: string;
  fileName: string;
  sourceUrl: string | null;
  importedAt: CreatedAt;
  importedBy: string | null;
}

/**
 * A decision: the fields of its current record version (see decision_version), plus lifecycle. Insert it and
 * its version 1 in the same transaction: a deferred foreign key checks (id, currentVersion) at commit.
 * Only drafts can be deleted (a trigger refuses the rest).
 */
export interface DecisionTable {
  id: Id;
  councilId: number;
  bodyId: number;
  meetingId: number | null;
  agendaItemId: number | null;
  /** The council's identifier ("D080067"); unique within the council when present. */
  recordId: string | null;
  documentType: string;
  meetingDate: IsoDate;
  title: string;
  record: Generated<string>;
  outcomes: JsonWithDefault<Outcome[]>;
  reasons: Generated<string>;
  alternatives: Generated<string>;
  conflictsOfInterest: Generated<string>;
  dispensations: Generated<string>;
  callInText: Generated<string>;
  callInDeadline: IsoDate | null;
  signedBy: string | null;
  /** Required once published. */
  publishedOn: IsoDate | null;
  status: Generated<DecisionStatus>;
  keyDecision: Generated<boolean>;
  /** Schedule 12A paragraph, 1-7. */
  exemptParagraph: number | null;
  urgent: Generated<boolean>;
  /** Required (with the consent) when an urgent decision is published. */
  urgencyReason: string | null;
  urgencyChairConsent: string | null;
  notSubjectToCallIn: Generated<boolean>;
  /** The deadline the council's call-in rule gives; deadlineMismatch when the printed one differs. */
  expectedCallInDeadline: IsoDate | null;
  deadlineMismatch: Generated<boolean>;
  scrutinyOutcome: ScrutinyOutcome | null;
  scrutinyOutcomeOn: IsoDate | null;
  /** When the decision was put into effect (recorded once the lifecycle allows it). */
  implementedAt: OptionalInstant;
  currentVersion: Generated<number>;
  /** tsvector: title (A), outcomes (B), record and reasons (C), English. Query with websearch_to_tsquery. */
  search: GeneratedAlways<string>;
  /** tsvector over title (A) and outcomes (B) only: cheap to rank when a search matches thousands. */
  searchHead: GeneratedAlways<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** One version of a decision's record; never updated (a trigger refuses it). */
export interface DecisionVersionTable {
  id: Id;
  decisionId: number;
  version: number;
  record: JSONColumnType<DecisionRecord>;
  /** Why this version corrects the previous one; required from version 2. */
  reason: string | null;
  sourceDocumentId: number | null;
  createdAt: CreatedAt;
  createdBy: string | null;
  /** The decision's version chain (set by a trigger): the previous version's hash, and this one's. */
  prevHash: ChainHash;
  hash: ChainHash;
}

export interface DeclarationOfInterestTable {
  id: Id;
  decisionId: number;
  personId: number | null;
  /** As written in the record. */
  personName: string;
  category: Generated<InterestCategory>;
  /** What the interest is. */
  nature: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface DispensationTable {
  id: Id;
  decisionId: number;
  declarationId: number | null;
  personId: number | null;
  personName: string;
  grantedBy: string;
  grantedOn: IsoDate | null;
  expiresOn: IsoDate | null;
  scope: Generated<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CallInRequestTable {
  id: Id;
  decisionId: number;
  receivedAt: Instant;
  grounds: string;
  /** Null until assessed; when false, invalidReason is required. */
  valid: boolean | null;
  invalidReason: string | null;
  assessedAt: OptionalInstant;
  assessedBy: string | null;
  withdrawnAt: OptionalInstant;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CallInSignatoryTable {
  id: Id;
  callInRequestId: number;
  /** Order of signing from 1; 1 made the request. */
  position: number;
  personId: number | null;
  name: string;
  createdAt: CreatedAt;
}

/** Append-only: UPDATE and DELETE are refused by a trigger; entries are hash-chained in id order. */
export interface AuditLogTable {
  id: Id;
  at: CreatedAt;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  councilId: number | null;
  details: JsonWithDefault<JsonObject>;
  /** The audit chain (set by a trigger): the previous entry's hash, and this one's. */
  prevHash: ChainHash;
  hash: ChainHash;
}

/** Who may sign in. `email` is stored lower-cased and unique; `passwordHash` (argon2id) null for SSO only. */
export interface AccountTable {
  id: Id;
  councilId: number;
  email: string;
  name: string;
  /** The account's person record (a councillor's is always set); unique when set. */
  personId: number | null;
  passwordHash: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
  disabledAt: OptionalInstant;
}

/** The roles an account holds (src/domain/roles.ts), one row each. */
export interface AccountRoleTable {
  accountId: number;
  role: Role;
  createdAt: CreatedAt;
}

/** An API token: only its SHA-256 (hex) is kept. Revoked tokens stay, with when. */
export interface ApiTokenTable {
  id: Id;
  accountId: number;
  label: Generated<string>;
  tokenHash: string;
  createdAt: CreatedAt;
  lastUsedAt: OptionalInstant;
  revokedAt: OptionalInstant;
}

/** A signed-in (or signing-in) visitor's session: `data` is what @fastify/session keeps, as JSON. */
export interface WebSessionTable {
  sid: string;
  accountId: number | null;
  data: JSONColumnType<JsonObject, string, string>;
  expiresAt: Instant;
  createdAt: CreatedAt;
}

/** Failed sign-ins in the current window, by "account:<email>" or "address:<ip>". */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  windowStartedAt: Instant;
}

/** Secrets the server makes for itself once (the session signing key), shared by every process. */
export interface ServerSecretTable {
  name: string;
  value: string;
  createdAt: CreatedAt;
}

/** Scheduled backups: one row per scheduled instant, claimed by the process that takes it. */
export interface BackupRunTable {
  slot: string;
  takenBy: string;
  startedAt: CreatedAt;
  finishedAt: OptionalInstant;
  file: ColumnType<string | null, string | null | undefined, string | null>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
}

export const STRATEGY_ORIGINS = ["defined", "found-in-record"] as const;
export type StrategyOrigin = (typeof STRATEGY_ORIGINS)[number];
export const STRATEGY_UPDATE_STATUSES = ["proposed", "confirmed"] as const;
export type StrategyUpdateStatus = (typeof STRATEGY_UPDATE_STATUSES)[number];

/** A strategy the council agreed: slug unique within the council; the period it covers as dates. */
export interface StrategyTable {
  id: Id;
  councilId: number;
  slug: string;
  title: string;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  owner: string | null;
  /** The decision that agreed it, when it is in the register. */
  agreedByDecisionId: number | null;
  /** 'found-in-record': created when a record agreed it, before (or without) its JSON. */
  origin: Generated<StrategyOrigin>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A strategy's priorities, in order from 1. */
export interface StrategyPriorityTable {
  id: Id;
  strategyId: number;
  position: number;
  title: string;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A KPI under a priority; code unique within the council. */
export interface KpiTable {
  id: Id;
  councilId: number;
  priorityId: number;
  code: string;
  name: string;
  definition: Generated<string>;
  unit: KpiUnit;
  polarity: KpiPolarity;
  dataSource: Generated<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/**
 * A KPI's figures for one financial quarter (startYear 2017, quarter 2 for "2017-18 Q2"). numeric: read as a
 * decimal string ("72.5"), written as a number or a string. Either figure may be null, not both.
 */
export interface KpiValueTable {
  id: Id;
  kpiId: number;
  startYear: number;
  quarter: number;
  actual: ColumnType<string | null, number | string | null, number | string | null>;
  target: ColumnType<string | null, number | string | null, number | string | null>;
  commentary: Generated<string>;
  enteredBy: string;
  enteredAt: ColumnType<Date, Date | string | undefined, Date | string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** An account a KPI names as one who may enter its values (besides officers and admins). */
export interface KpiEditorTable {
  kpiId: number;
  accountId: number;
  createdAt: CreatedAt;
}

export const COMMITMENT_STATUSES = ["open", "done", "dropped"] as const;
/** Stored statuses; "overdue" is derived (an open commitment past its due quarter). */
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];
export const COMMITMENT_CONFIDENCES = ["high", "medium", "low"] as const;
export type CommitmentConfidence = (typeof COMMITMENT_CONFIDENCES)[number];
export type SuggestionVerdict = "confirmed" | "rejected";

/** A commitment read from a decision's record, tracked until a later decision fulfils it. */
export interface CommitmentTable {
  id: Id;
  decisionId: number;
  /** Its order in the record, from 1. */
  position: number;
  /** As written, without its list marker. */
  text: string;
  /** The due financial quarter: 2017 and 3 are "2017-18 Q3". */
  dueStartYear: number;
  dueQuarter: number;
  /** The words the due quarter was worked out from: "The next quarter would see", "in six months". */
  duePhrase: string;
  confidence: CommitmentConfidence;
  owner: string | null;
  status: Generated<CommitmentStatus>;
  progress: Generated<string>;
  /** The decision that fulfilled it (done only). */
  fulfilledBy: number | null;
  confirmedBy: string | null;
  confirmedAt: OptionalInstant;
  /** Why it was dropped: present exactly when the status is dropped; shown publicly. */
  droppedReason: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A dated progress note on a commitment (the history; commitment.progress holds the latest). */
export interface CommitmentProgressTable {
  id: Id;
  commitmentId: number;
  note: string;
  /** The audit log's actor: who recorded it (not shown publicly). */
  recordedBy: string;
  recordedAt: CreatedAt;
}

/** An officer's verdict on a suggested fulfilling decision; rejected ones are not suggested again. */
export interface CommitmentSuggestionReviewTable {
  commitmentId: number;
  decisionId: number;
  verdict: SuggestionVerdict;
  reviewedBy: string;
  reviewedAt: CreatedAt;
}

/** A decision linked to a strategy as its quarterly performance update (start_year 2017 + quarter 2 = 2017-18 Q2). */
export interface StrategyUpdateTable {
  id: Id;
  strategyId: number;
  startYear: number;
  quarter: number;
  decisionId: number;
  status: Generated<StrategyUpdateStatus>;
  /** Why it was matched, in words: "title names Q2; text names the Children's Services Strategy 2017-20; ...". */
  foundBy: string;
  confirmedBy: string | null;
  confirmedAt: OptionalInstant;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A proposed pairing an officer rejected: never proposed again. */
export interface StrategyUpdateRejectionTable {
  strategyId: number;
  decisionId: number;
  rejectedBy: string;
  rejectedAt: CreatedAt;
}

export interface DatabaseSchema {
  council: CouncilTable;
  councilNonWorkingDay: CouncilNonWorkingDayTable;
  body: BodyTable;
  person: PersonTable;
  bodyMembership: BodyMembershipTable;
  meeting: MeetingTable;
  agendaItem: AgendaItemTable;
  sourceDocument: SourceDocumentTable;
  decision: DecisionTable;
  decisionVersion: DecisionVersionTable;
  declarationOfInterest: DeclarationOfInterestTable;
  dispensation: DispensationTable;
  callInRequest: CallInRequestTable;
  callInSignatory: CallInSignatoryTable;
  auditLog: AuditLogTable;
  account: AccountTable;
  accountRole: AccountRoleTable;
  apiToken: ApiTokenTable;
  webSession: WebSessionTable;
  signInThrottle: SignInThrottleTable;
  serverSecret: ServerSecretTable;
  backupRun: BackupRunTable;
  strategy: StrategyTable;
  strategyPriority: StrategyPriorityTable;
  kpi: KpiTable;
  kpiValue: KpiValueTable;
  kpiEditor: KpiEditorTable;
  commitment: CommitmentTable;
  commitmentSuggestionReview: CommitmentSuggestionReviewTable;
  strategyUpdate: StrategyUpdateTable;
  strategyUpdateRejection: StrategyUpdateRejectionTable;
  commitmentProgress: CommitmentProgressTable;
}

/** The SQL names of the tables, in an order that respects foreign keys (parents first). */
export const TABLE_NAMES = [
  "council",
  "council_non_working_day",
  "body",
  "person",
  "body_membership",
  "meeting",
  "agenda_item",
  "source_document",
  "decision",
  "decision_version",
  "declaration_of_interest",
  "dispensation",
  "call_in_request",
  "call_in_signatory",
  "audit_log",
  "account",
  "account_role",
  "api_token",
  "strategy",
  "strategy_priority",
  "kpi",
  "kpi_value",
  "kpi_editor",
  "commitment",
  "commitment_suggestion_review",
  "strategy_update",
  "strategy_update_rejection",
  "commitment_progress",
] as const;

/**
 * The running server's own state, not the register: sessions, counts of failed sign-ins and the server's
 * secrets. Not exported or restored (a restored register starts with nobody signed in and a new session key).
 */
export const SERVER_STATE_TABLES = [
  "web_session",
  "sign_in_throttle",
  "server_secret",
  "backup_run",
] as const;

export type CouncilRow = Selectable<CouncilTable>;
export type BodyRow = Selectable<BodyTable>;
export type PersonRow = Selectable<PersonTable>;
export type MeetingRow = Selectable<MeetingTable>;
export type AgendaItemRow = Selectable<AgendaItemTable>;
export type SourceDocumentRow = Selectable<SourceDocumentTable>;
export type DecisionRow = Selectable<DecisionTable>;
export type DecisionVersionRow = Selectable<DecisionVersionTable>;
export type DeclarationOfInterestRow = Selectable<DeclarationOfInterestTable>;
export type DispensationRow = Selectable<DispensationTable>;
export type CallInRequestRow = Selectable<CallInRequestTable>;
export type CallInSignatoryRow = Selectable<CallInSignatoryTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type AccountRow = Selectable<AccountTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type CommitmentRow = Selectable<CommitmentTable>;
