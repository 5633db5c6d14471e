import type { Command } from "commander";
import { ValidationError } from "../domain/errors.js";
import { ROLES } from "../domain/roles.js";
import { toUkIsoString } from "../domain/uk-time.js";
import {
  checkPassword,
  createAccount,
  createApiToken,
  disableAccount,
  listAccounts,
  listApiTokens,
  normaliseEmail,
  revokeApiToken,
  type Account,
} from "../services/accounts/index.js";
import { processIo, type CliIo } from "./cli-io.js";
import { collect, flag } from "./cli-flags.js";
import { printJson, table } from "./cli-output.js";
import { cliActor, withContext } from "./with-context.js";

/**
 * Accounts and API tokens from the command line: the first admin of a new install, and automation.
 * Passwords come on standard input (its first line), never as an argument (arguments show in `ps` and shell
 * history); tokens are printed once, as the last line of stdout, so a script can take them with `tail -n 1`.
 */
export function registerUserCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const user = program.command("user").description("accounts: who may sign in, with which roles");

  user
    .command("add")
    .description("add an account; its password is read from standard input (the first line)")
    .argument("<email>", "the sign-in email address")
    .requiredOption("--name <name>", "the person's name")
    .option("--role <role>", `a role (repeat for several): ${ROLES.join(", ")}`, collect, [])
    .option("--council <council>", "the council (default: the configured default council)")
    .option("--ward <ward>", "a councillor's ward")
    .option("--party <party>", "a councillor's party")
    .option("--portfolio <portfolio>", "a cabinet member's portfolio")
    .option("--job-title <title>", "an officer's post (gives the officer a person record)")
    .option("--no-password", "no password: the account signs in only through single sign-on")
    .option("--json", "print the account as a JSON object")
    .action(async (email: string, options: UserAddOptions) => setExitCode(await userAdd(email, options, io)));

  user
    .command("list")
    .description("every account, with its roles")
    .option("--json", "print a JSON array")
    .action(async (options: { json?: boolean }) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const accounts = await listAccounts(ctx.database.db);
          if (options.json) printJson(io, accounts);
          else if (accounts.length === 0) io.stdout("No accounts yet (add one with resolved user add).\n");
          else {
            io.stdout(
              table(
                ["EMAIL", "NAME", "ROLES", "SIGN-IN", "STATUS"],
                accounts.map((a) => [
                  a.email,
                  a.name,
                  a.roles.join(", "),
                  a.hasPassword ? "password" : "single sign-on",
                  a.disabledAt ? `disabled ${when(a.disabledAt)}` : "active",
                ]),
              ),
            );
          }
          return 0;
        }),
      ),
    );

  user
    .command("disable")
    .description("stop an account signing in or using its API tokens (it is kept, for the audit log)")
    .argument("<email>", "the account's email address")
    .action(async (email: string) => {
      const wanted = flag("email", () => normaliseEmail(email));
      setExitCode(
        await withContext(io, async (ctx) => {
          const account = await disableAccount(ctx.database, wanted, cliActor());
          io.stdout(`Account ${account.email} is disabled.\n`);
          return 0;
        }),
      );
    });

  const token = program.command("token").description("API tokens, for programs that use the API");

  token
    .command("create")
    .description("make an API token for an account; printed once, as the last line")
    .argument("<email>", "the account the token acts for (with its roles)")
    .option("--name <label>", "what the token is for, e.g. the program using it")
    .action(async (email: string, options: { name?: string }) => {
      const wanted = flag("email", () => normaliseEmail(email));
      setExitCode(
        await withContext(io, async (ctx) => {
          const created = await createApiToken(ctx.database, wanted, options.name, cliActor());
          const label = options.name?.trim() ? ` (${options.name.trim()})` : "";
          io.stdout(
            `Token ${created.id} for ${wanted}${label}. It is shown only this once: keep it somewhere safe.\n` +
              `${created.token}\n`,
          );
          return 0;
        }),
      );
    });

  token
    .command("revoke")
    .description("revoke an API token: it stops working at once")
    .argument("<id>", "the token's id (from resolved token list), or the token itself")
    .action(async (ref: string) =>
      setExitCode(
        await withContext(io, async (ctx) => {
          const revoked = await revokeApiToken(ctx.database, ref, cliActor());
          io.stdout(`Token ${revoked.id} for ${revoked.email} is revoked.\n`);
          return 0;
        }),
      ),
    );

  token
    .command("list")
    .description("API tokens (never the tokens themselves), newest first")
    .argument("[email]", "only this account's")
    .option("--json", "print a JSON array")
    .action(async (email: string | undefined, options: { json?: boolean }) => {
      const wanted = email === undefined ? undefined : flag("email", () => normaliseEmail(email));
      setExitCode(
        await withContext(io, async (ctx) => {
          const tokens = await listApiTokens(ctx.database.db, wanted);
          if (options.json) printJson(io, tokens);
          else if (tokens.length === 0) io.stdout("No API tokens.\n");
          else {
            io.stdout(
              table(
                ["ID", "EMAIL", "LABEL", "CREATED", "LAST USED", "STATUS"],
                tokens.map((t) => [
                  String(t.id),
                  t.email,
                  t.label,
                  when(t.createdAt),
                  t.lastUsedAt ? when(t.lastUsedAt) : "never",
                  t.revokedAt ? `revoked ${when(t.revokedAt)}` : "active",
                ]),
              ),
            );
          }
          return 0;
        }),
      );
    });
}

interface UserAddOptions {
  name: string;
  role: string[];
  council?: string;
  ward?: string;
  party?: string;
  portfolio?: string;
  jobTitle?: string;
  /** False with --no-password. */
  password: boolean;
  json?: boolean;
}

async function userAdd(emailArgument: string, options: UserAddOptions, io: CliIo): Promise<number> {
  // Flags first: a mistake is reported before anything is read from standard input or the database opened.
  const email = flag("email", () => normaliseEmail(emailArgument));
  if (options.role.length === 0) {
    throw new ValidationError(`give at least one role: ${ROLES.join(", ")}`, "--role");
  }
  for (const role of options.role) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ValidationError(`"${role}" is not a role; expected one of ${ROLES.join(", ")}`, "--role");
    }
  }
  if (options.name.trim() === "") throw new ValidationError("the name must not be empty", "--name");
  const password = options.password ? await readPassword(io) : null;
  if (password !== null) {
    const refused = checkPassword(password, { email, name: options.name });
    if (refused) throw refused;
  }
  return withContext(io, async (ctx) => {
    const account = await createAccount(ctx.database, {
      email,
      name: options.name,
      roles: options.role,
      password,
      council: options.council,
      defaultCouncil: ctx.config.defaultCouncil,
      ward: options.ward,
      party: options.party,
      portfolio: options.portfolio,
      jobTitle: options.jobTitle,
      actor: cliActor(),
    });
    if (options.json) printJson(io, account);
    else io.stdout(accountCreatedLine(account));
    return 0;
  });
}

function accountCreatedLine(account: Account): string {
  const signIn = account.hasPassword ? "with a password" : "single sign-on only";
  const person = account.personId === null ? "" : `, person record ${account.personId}`;
  return `Account ${account.id} created: ${account.email} (${account.name}), ${account.roles.join(", ")}; ${signIn}${person}.\n`;
}

/** "2026-12-04 10:00", UK time. */
function when(instant: Date): string {
  return toUkIsoString(instant).slice(0, 16).replace("T", " ");
}

/**
 * The password: typed at a prompt without echo when standard input is a terminal, otherwise the first line of
 * standard input (`printf '%s\n' "$PASSWORD" | resolved user add ...`). Only the line ending is removed: spaces
 * belong to the password.
 */
async function readPassword(io: CliIo): Promise<string> {
  if (io === processIo && process.stdin.isTTY) return promptWithoutEcho(io, "Password: ");
  const text = (await io.readStdin()).toString("utf8");
  if (text === "") {
    throw new ValidationError(
      "give the password as the first line of standard input, or --no-password for single sign-on only",
      "password",
    );
  }
  return text.split(/\r?\n/, 1)[0] as string;
}

function promptWithoutEcho(io: CliIo, prompt: string): Promise<string> {
  const stdin = process.stdin;
  io.stderr(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(new ValidationError("cancelled", "password"));
        if (char === "\u007f" || char === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += char;
      }
    };
    stdin.on("data", onData);
  });
}
