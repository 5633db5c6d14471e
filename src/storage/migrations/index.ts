import type { Migration } from "kysely";
import * as initialSchema from "./2026-11-22T1200-initial-schema.js";
import * as decisionSearch from "./2026-11-22T1300-decision-search.js";
import * as textMatchCost from "./2026-11-22T1500-text-match-cost.js";
import * as auditChain from "./2026-12-04T1000-audit-chain.js";
import * as accounts from "./2026-12-04T1100-accounts.js";
import * as webSessions from "./2026-12-04T1200-web-sessions.js";
import * as strategies from "./2026-12-05T1000-strategies.js";
import * as commitments from "./2026-12-05T1100-commitments.js";
import * as strategyUpdates from "./2026-12-06T1000-strategy-updates.js";
import * as commitmentProgress from "./2026-12-06T1100-commitment-progress.js";
import * as kpiEditors from "./2026-12-06T1200-kpi-editors.js";
import * as registerChangeNotify from "./2026-12-07T1000-register-change-notify.js";
import * as backupRuns from "./2026-12-07T1400-backup-runs.js";

/**
 * Every migration, by name. Names are ISO timestamps (`YYYY-MM-DDTHHMM-what`) so they sort in the order they
 * run; add new ones at the end, and never change one that has been released.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  "2026-11-22T1200-initial-schema": initialSchema,
  "2026-11-22T1300-decision-search": decisionSearch,
  "2026-11-22T1500-text-match-cost": textMatchCost,
  "2026-12-04T1000-audit-chain": auditChain,
  "2026-12-04T1100-accounts": accounts,
  "2026-12-04T1200-web-sessions": webSessions,
  "2026-12-05T1000-strategies": strategies,
  "2026-12-05T1100-commitments": commitments,
  "2026-12-06T1000-strategy-updates": strategyUpdates,
  "2026-12-06T1100-commitment-progress": commitmentProgress,
  "2026-12-06T1200-kpi-editors": kpiEditors,
  "2026-12-07T1000-register-change-notify": registerChangeNotify,
  "2026-12-07T1400-backup-runs": backupRuns,
};
