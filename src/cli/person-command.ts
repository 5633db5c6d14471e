import type { Command } from "commander";
import { ValidationError } from "../domain/errors.js";
import { ukDateOf } from "../domain/uk-time.js";
import { addMembership, createPerson, listPeople, type PersonSummary } from "../services/people/index.js";
import type { CliIo } from "./cli-io.js";
import { printJson, table } from "./cli-output.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * People and their memberships of bodies from the command line: `person add`, `person list` and
 * `membership add`. The services check the input (every problem; the first is printed) and audit each change.
 */
export function registerPersonCommands(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
): void {
  const person = program.command("person").description("councillors and officers");

  person
    .command("add")
    .description("add a councillor or an officer")
    .argument("<name>", "the person's name")
    .requiredOption("--role <role>", "councillor or officer")
    .option("--ward <ward>", "a councillor's ward")
    .option("--party <party>", "a councillor's party")
    .option("--portfolio <portfolio>", "a cabinet member's portfolio")
    .option("--job-title <title>", "an officer's post")
    .option("--council <council>", "the council (default: the configured default council)")
    .option("--json", "print the new person's id as JSON")
    .action(async (name: string, options: PersonAddOptions) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const { id } = await createPerson(
            ctx.database,
            {
              ...(options.council !== undefined && { ref: options.council }),
              defaultSlug: ctx.config.defaultCouncil,
            },
            { ...options, name },
            cliActor(),
          );
          if (options.json) printJson(io, { id });
          else io.stdout(`Person ${id} added: ${name.trim().replace(/\s+/g, " ")} (${options.role}).\n`);
          return 0;
        }),
      ),
    );

  person
    .command("list")
    .description("everyone, by name, with the bodies they sit on today")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const people = await listPeople(ctx.database.db, { on: ukDateOf(new Date()) });
          if (options.json) printJson(io, people);
          else if (people.length === 0) io.stdout("No people yet (add one with resolved person add).\n");
          else {
            io.stdout(
              table(
                ["ID", "NAME", "ROLE", "WARD", "PARTY", "PORTFOLIO OR POST", "SITS ON"],
                people.map((p) => [
                  String(p.id),
                  p.name,
                  p.role,
                  p.ward ?? "",
                  p.party ?? "",
                  p.portfolio ?? p.jobTitle ?? "",
                  sitsOn(p),
                ]),
              ),
            );
          }
          return 0;
        }),
      ),
    );

  program
    .command("membership")
    .description("who sits on which body")
    .command("add")
    .description("record that a person sits (or sat) on a body, from a date (and to a date)")
    .argument("<person-id>", "the person's id (from resolved person list)")
    .requiredOption("--body <name>", "the body, by name: Cabinet, a committee")
    .option("--role <role>", "member, chair or vice-chair", "member")
    .requiredOption("--from <date>", "the first day, YYYY-MM-DD")
    .option("--to <date>", "the last day, YYYY-MM-DD (none: it has not ended)")
    .action(async (personRef: string, options: { body: string; role: string; from: string; to?: string }) => {
      if (!/^\d{1,9}$/.test(personRef.trim())) {
        throw new ValidationError(
          `"${personRef}" is not a person id (see resolved person list)`,
          "person-id",
        );
      }
      setExitCode(
        await withContext(io, async (ctx) => {
          const added = await addMembership(ctx.database, Number(personRef), options, cliActor());
          const until = added.endedOn ? ` to ${added.endedOn}` : "";
          io.stdout(
            `Membership ${added.id} added: person ${personRef.trim()}, ${added.role} of ${added.bodyName} from ${added.startedOn}${until}.\n`,
          );
          return 0;
        }),
      );
    });
}

interface PersonAddOptions {
  role: string;
  ward?: string;
  party?: string;
  portfolio?: string;
  jobTitle?: string;
  council?: string;
  json?: boolean;
}

function sitsOn(person: PersonSummary): string {
  return person.currentMemberships
    .map((m) => (m.role === "member" ? m.bodyName : `${m.bodyName} (${m.role})`))
    .join(", ");
}
