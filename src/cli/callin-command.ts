import type { Command } from "commander";
import { PRINCIPLES_OF_DECISION_MAKING } from "../domain/call-in-request.js";
import { formatUkInstant } from "../domain/decision-status.js";
import { ValidationError } from "../domain/errors.js";
import { parseUkDateTime } from "../domain/date-input.js";
import { listCallInRequests, requestCallIn } from "../services/call-in/index.js";
import type { CliIo } from "./cli-io.js";
import { cliActor, withContext } from "./with-context.js";
import { collect } from "./cli-flags.js";
import { printJson } from "./cli-output.js";
import { requestLines } from "./register-text.js";

/** The call-in commands: record a request (valid or not, with why), and list a decision's requests. */
export function registerCallInCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const callin = program.command("callin").description("call-in requests");

  callin
    .command("request")
    .description("record a call-in request (stored even when invalid, with why; exit 1 when invalid)")
    .argument("<id>", "the decision's number or record id")
    .option(
      "--signatory <name>",
      "a councillor who signed (repeat for each, the requester first)",
      collect,
      [],
    )
    .option(
      "--ground <principle:explanation>",
      `a principle of decision making not followed, and how (repeatable); principles: ${PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key).join(", ")}`,
      collect,
      [],
    )
    .option("--received-at <date-time>", "when the request arrived (default now), e.g. 2017-11-23T12:00")
    .option("--json", "print a JSON object")
    .action(async (id: string, options: CallInOptions) => setExitCode(await callInCommand(id, options, io)));

  callin
    .command("list")
    .description("the call-in requests made against a decision, valid or not")
    .argument("<id>", "the decision's number or record id")
    .option("--json", "print a JSON array")
    .action(async (id: string, options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const { decisionId, recordId, requests } = await listCallInRequests(ctx.database.db, id);
          if (options.json) printJson(io, requests);
          else {
            const name = recordId ? `${recordId} (decision ${decisionId})` : `decision ${decisionId}`;
            io.stdout(
              requests.length === 0
                ? `No call-in requests for ${name}.\n`
                : `Call-in requests for ${name}:\n${requests.map(requestLines).join("")}`,
            );
          }
          return 0;
        }),
      ),
    );
}

interface CallInOptions {
  signatory: string[];
  ground: string[];
  receivedAt?: string;
  json?: boolean;
}

const PRINCIPLE_KEYS = PRINCIPLES_OF_DECISION_MAKING.map((p) => p.key) as readonly string[];

function parseGround(text: string): { principle: string; explanation: string } {
  const colon = text.indexOf(":");
  const principle = (colon < 0 ? text : text.slice(0, colon)).trim();
  const explanation = colon < 0 ? "" : text.slice(colon + 1).trim();
  if (!PRINCIPLE_KEYS.includes(principle)) {
    throw new ValidationError(
      `"${principle}" is not a principle of decision making; expected one of ${PRINCIPLE_KEYS.join(", ")} ` +
        '(as principle:explanation, e.g. "openness:the report was not published")',
      "--ground",
    );
  }
  if (explanation === "") {
    throw new ValidationError(
      `say how the decision failed to follow ${principle}: --ground "${principle}:explanation"`,
      "--ground",
    );
  }
  return { principle, explanation };
}

async function callInCommand(id: string, options: CallInOptions, io: CliIo): Promise<number> {
  if (options.signatory.length === 0) {
    throw new ValidationError(
      "give the councillors who signed: --signatory NAME (once for each)",
      "--signatory",
    );
  }
  if (options.ground.length === 0) {
    throw new ValidationError(
      'give at least one ground: --ground "principle:explanation" (a principle of decision making not followed)',
      "--ground",
    );
  }
  const grounds = options.ground.map(parseGround);
  const receivedAt =
    options.receivedAt === undefined ? undefined : parseUkDateTime(options.receivedAt, "--received-at");
  return withContext(io, async (ctx) => {
    const result = await requestCallIn(
      ctx.database,
      id,
      { signatories: options.signatory, grounds, receivedAt },
      cliActor(),
    );
    const name = result.recordId
      ? `${result.recordId} (decision ${result.decisionId})`
      : `decision ${result.decisionId}`;
    if (options.json) printJson(io, result);
    else if (result.valid) {
      io.stdout(
        `Call-in request ${result.requestId} for ${name} recorded: valid, received at ` +
          `${formatUkInstant(result.receivedAt)}.\nStatus now: ${result.status.label} [${result.status.status}]. ` +
          `${result.status.explanation}\n`,
      );
    } else {
      io.stdout(
        `Call-in request ${result.requestId} for ${name} recorded: NOT valid. ` +
          `Status now: ${result.status.label} [${result.status.status}].\n`,
      );
    }
    if (!result.valid) {
      io.stderr(
        `resolved: call-in request ${result.requestId} is not valid (it is kept, with why): ${result.reasons.join("; ")}\n`,
      );
      return 1;
    }
    return 0;
  });
}
