import type { CallInDeadline } from "../domain/call-in-deadline.js";
import { type CallInRule } from "../domain/call-in-rule.js";
import { formatCallInClose, formatUkInstant } from "../domain/decision-status.js";
import type { IsoDate } from "../domain/iso-date.js";
import { type CallInRequestView, type CallInWindow } from "../services/call-in/index.js";
import { type Council } from "../services/councils/index.js";
import { type DecisionDetail } from "../services/decisions/index.js";

/** Register facts as text for a terminal: councils, deadlines, call-in requests, a decision. */

const LONG_DATE = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** "Friday 24 November 2017" */
export function longDate(date: IsoDate): string {
  const parts: Record<string, string> = {};
  for (const part of LONG_DATE.formatToParts(new Date(`${date}T00:00:00Z`))) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

export function describeCutoff(cutoff: string): string {
  if (cutoff === "24:00") return "midnight at the end of the last day";
  if (cutoff === "00:00") return "midnight at the start of the last day";
  if (cutoff === "12:00") return "midday on the last day";
  return `${cutoff} on the last day`;
}

/** "5 working days, counting the publication day": the window of a rule, as `council show` prints it. */
export function describeWindow(rule: Pick<CallInRule, "days" | "dayKind" | "countFrom">): string {
  return (
    `${rule.days} ${rule.dayKind} day${rule.days === 1 ? "" : "s"}, ` +
    (rule.countFrom === "publication-day"
      ? "counting the publication day"
      : "counting from the day after publication")
  );
}

export function describeRule(rule: CallInRule, minSignatories: number): string {
  const counting =
    rule.countFrom === "publication-day" ? "counting the publication day" : "from the day after publication";
  const closures = rule.closureDays.length > 0 ? `; ${rule.closureDays.length} closure day(s)` : "";
  return (
    `${rule.days} ${rule.dayKind} day${rule.days === 1 ? "" : "s"} ${counting}, closing at ${describeCutoff(rule.cutoff)} ` +
    `(${rule.holidayRegion} bank holidays${closures}); at least ${minSignatories} signator${minSignatories === 1 ? "y" : "ies"}`
  );
}

export function councilLines(council: Council): string {
  const rule = council.callInRule;
  return [
    `${council.name} (${council.slug})`,
    `  Call-in window: ${describeWindow(rule)}`,
    `  Closes at: ${describeCutoff(rule.cutoff)} (UK time)`,
    `  Bank holidays: ${rule.holidayRegion}`,
    `  Closure days: ${rule.closureDays.length > 0 ? rule.closureDays.join(", ") : "none"}`,
    `  Signatories needed for a call-in: at least ${council.minCallInSignatories}`,
    ...(council.keyDecisionThreshold !== null
      ? [`  Key decision threshold: £${council.keyDecisionThreshold.toLocaleString("en-GB")}`]
      : []),
    "",
  ].join("\n");
}

export function deadlineLines(
  council: { slug: string; name: string; inRegister: boolean },
  deadline: CallInDeadline,
): string {
  const skipped = deadline.skipped.map((s) => `${s.date} (${s.reason})`);
  return [
    `Call-in deadline: ${longDate(deadline.deadline)} (${council.name}'s rule` +
      (council.inRegister ? ")" : "; the council is not in the register yet, so this is the default rule)"),
    deadline.explanation,
    `Days counted: ${deadline.daysCounted.join(", ")}`,
    `Days not counted: ${skipped.length > 0 ? skipped.join(", ") : "none"}`,
    `Call-in closes: ${deadline.cutoff} (${formatCallInClose(new Date(deadline.cutoff))})`,
    `Effective from: ${deadline.effectiveFrom}`,
    "",
  ].join("\n");
}

export function requestLines(request: CallInRequestView): string {
  const validity = request.valid === null ? "not assessed" : request.valid ? "valid" : "NOT valid";
  const lines = [
    `  #${request.id} received ${formatUkInstant(request.receivedAt)}: ${validity}` +
      (request.withdrawnAt ? ` (withdrawn ${formatUkInstant(request.withdrawnAt)})` : ""),
    `     signed by ${request.signatories.join(", ")}`,
    ...request.grounds.map((g) => `     ground: ${g.principle ?? "(unspecified)"}: ${g.explanation}`),
    ...request.reasons.map((reason) => `     why not valid: ${reason}`),
  ];
  return `${lines.join("\n")}\n`;
}

export function callInLines(callIn: CallInWindow | null): string[] {
  if (callIn === null) return [];
  const lines = [`Call-in: ${callIn.explanation}`];
  if (callIn.cutoff)
    lines.push(
      `  Closes: ${callIn.cutoff} (governed by the ${callIn.governedBy === "printed" ? "record as published" : "council's rule"})`,
    );
  for (const warning of callIn.warnings) lines.push(`  Warning: ${warning}`);
  return lines;
}

export function detailLines(detail: DecisionDetail): string {
  const name = detail.recordId ? `${detail.recordId} (decision ${detail.id})` : `Decision ${detail.id}`;
  const record = detail.record;
  const lines = [
    `${name}: ${detail.title}`,
    `Council: ${detail.council.name} · Decision maker: ${detail.body.name} · Made: ${detail.meetingDate} · ` +
      `Published: ${detail.publishedOn ?? "not yet"}${detail.publicationState === "withdrawn" ? " (withdrawn)" : ""}`,
    detail.status
      ? `Status at ${formatUkInstant(detail.at)}: ${detail.status.label} [${detail.status.status}]. ${detail.status.explanation}`
      : `Status at ${formatUkInstant(detail.at)}: unknown: ${detail.statusProblem ?? ""}`,
    ...callInLines(detail.callIn),
  ];
  if (detail.urgency) lines.push(`Urgency: ${detail.urgency.reason} (consent: ${detail.urgency.consent})`);
  if (detail.scrutiny)
    lines.push(`Scrutiny outcome: ${detail.scrutiny.outcome} on ${detail.scrutiny.decidedOn ?? "?"}`);
  if (detail.implementedAt) lines.push(`Implemented: ${formatUkInstant(detail.implementedAt)}`);
  lines.push("", `Record (version ${detail.recordVersion} of ${detail.versions.length}):`);
  for (const outcome of record.outcomes) {
    lines.push(`  ${outcome.kind} ${outcome.text}`.trimEnd());
    outcome.items.forEach((item, i) => lines.push(`    ${i + 1}. ${item}`));
  }
  if (record.reasons.trim()) lines.push(`  Reasons: ${record.reasons.trim()}`);
  if (record.alternatives.trim()) lines.push(`  Alternatives: ${record.alternatives.trim()}`);
  if (record.conflictsOfInterest.trim())
    lines.push(`  Conflicts of interest: ${record.conflictsOfInterest.trim()}`);
  if (record.dispensations.trim()) lines.push(`  Dispensations: ${record.dispensations.trim()}`);
  lines.push(`  Call-in as printed: ${record.callIn.text || "(none)"}`);
  lines.push("", "Versions:");
  for (const version of detail.versions) {
    const source = version.sourceDocument
      ? ` from ${version.sourceDocument.fileName} (sha256 ${version.sourceDocument.sha256.slice(0, 12)}…)`
      : "";
    const by = version.createdBy ? ` by ${version.createdBy}` : "";
    const reason = version.reason ? `: ${version.reason}` : "";
    lines.push(`  ${version.version}. ${formatUkInstant(version.createdAt)}${by}${source}${reason}`);
  }
  lines.push("", detail.callInRequests.length === 0 ? "Call-in requests: none" : "Call-in requests:");
  lines.push(...detail.callInRequests.map((request) => requestLines(request).trimEnd()));
  return `${lines.join("\n")}\n`;
}
