import { describe, expect, it } from "vitest";
import { findAccountByToken, verifyPassword } from "../../../src/services/accounts/index.js";
import type { CliRun } from "../../support/built-cli.js";
import { useCliRegister } from "./cli-register.js";

/**
 * `resolved user` and `resolved token` as an admin runs them: the built CLI in its own process, the password on
 * standard input, on the run's backend (an embedded database in a temporary RESOLVED_DATA_DIR, or a database
 * created for this file on the test server).
 */

const PASSWORD = "plenty of words in this passphrase";
const TOKEN_LINE = /^rsv_[A-Za-z0-9_-]{43}$/;
const { cli: run, withDatabase } = useCliRegister("user-cli");
const cli = (args: string[], input?: string): Promise<CliRun> => run(args, input);

const accountCount = () =>
  withDatabase(async (database) =>
    Number(
      (
        await database.db
          .selectFrom("account")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );

describe.sequential("resolved user and resolved token", () => {
  it("refuses a role that is not one, with one line naming --role, before reading or writing anything", async () => {
    const run = await cli(
      ["user", "add", "a@council.gov.uk", "--name", "A", "--role", "mayor"],
      `${PASSWORD}\n`,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^resolved: --role: "mayor" is not a role; expected one of officer, proper-officer/,
    );
    expect(await accountCount()).toBe(0);
  });

  it("refuses a weak password from standard input, saying why, and writes nothing", async () => {
    const run = await cli(
      ["user", "add", "admin@council.gov.uk", "--name", "Jane Admin", "--role", "admin"],
      "Password1234!\n",
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^resolved: password: This password is one of the most common/);
    expect(run.stderr).not.toContain("Password1234!");
    const short = await cli(
      ["user", "add", "admin@council.gov.uk", "--name", "Jane Admin", "--role", "admin"],
      "",
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(
      /^resolved: password: give the password as the first line of standard input/,
    );
    expect(await accountCount()).toBe(0);
  });

  it("adds the first admin with the password from standard input", async () => {
    const run = await cli(
      ["user", "add", "Admin@Council.gov.uk", "--name", "Jane Admin", "--role", "admin", "--role", "officer"],
      `${PASSWORD}\nanything after the first line is ignored\n`,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      "Account 1 created: admin@council.gov.uk (Jane Admin), officer, admin; with a password.\n",
    );
    expect(run.stdout).not.toContain(PASSWORD);
    const account = await withDatabase((database) =>
      verifyPassword(database.db, "admin@council.gov.uk", PASSWORD),
    );
    expect(account).toMatchObject({ email: "admin@council.gov.uk", roles: ["officer", "admin"] });
  });

  it("adds a councillor without a password (single sign-on), with a person record", async () => {
    const run = await cli([
      "user",
      "add",
      "cllr.jones@council.gov.uk",
      "--name",
      "Ann Jones",
      "--role",
      "councillor",
      "--ward",
      "Norton",
      "--party",
      "Labour",
      "--no-password",
      "--json",
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      email: "cllr.jones@council.gov.uk",
      roles: ["councillor"],
      hasPassword: false,
      personId: 1,
    });
  });

  it("refuses the same email again, in any case", async () => {
    const run = await cli(
      ["user", "add", "ADMIN@council.gov.uk", "--name", "Someone", "--role", "officer"],
      `${PASSWORD}\n`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("resolved: There is already an account for admin@council.gov.uk\n");
  });

  it("lists the accounts", async () => {
    const run = await cli(["user", "list"]);
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")).toEqual([
      expect.stringMatching(/^EMAIL\s+NAME\s+ROLES\s+SIGN-IN\s+STATUS$/),
      expect.stringMatching(/^admin@council\.gov\.uk\s+Jane Admin\s+officer, admin\s+password\s+active$/),
      expect.stringMatching(
        /^cllr\.jones@council\.gov\.uk\s+Ann Jones\s+councillor\s+single sign-on\s+active$/,
      ),
      "",
    ]);
    const json = await cli(["user", "list", "--json"]);
    expect((JSON.parse(json.stdout) as Array<{ email: string }>).map((a) => a.email)).toEqual([
      "admin@council.gov.uk",
      "cllr.jones@council.gov.uk",
    ]);
    expect(json.stdout).not.toMatch(/argon2|passwordHash/);
  });

  let token = "";

  it("creates a token, printed once as the last line", async () => {
    const run = await cli(["token", "create", "admin@council.gov.uk", "--name", "nightly export"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      "Token 1 for admin@council.gov.uk (nightly export). It is shown only this once: keep it somewhere safe.",
    );
    token = lines.at(-1)!;
    expect(token).toMatch(TOKEN_LINE);
    const account = await withDatabase((database) => findAccountByToken(database.db, token));
    expect(account?.email).toBe("admin@council.gov.uk");

    const list = await cli(["token", "list", "admin@council.gov.uk", "--json"]);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: 1, label: "nightly export", revokedAt: null }]);
    expect(list.stdout).not.toContain(token);
    expect(list.stdout).not.toMatch(/[0-9a-f]{64}/);
  });

  it("refuses a token for an unknown account", async () => {
    const run = await cli(["token", "create", "nobody@council.gov.uk"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("resolved: No account for nobody@council.gov.uk\n");
  });

  it("revokes a token: it stops working at once", async () => {
    const run = await cli(["token", "revoke", "1"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Token 1 for admin@council.gov.uk is revoked.\n");
    expect(await withDatabase((database) => findAccountByToken(database.db, token))).toBeNull();
    const list = await cli(["token", "list"]);
    expect(list.stdout).toMatch(/^1\s+admin@council\.gov\.uk\s+nightly export\s+.*revoked/m);
    const missing = await cli(["token", "revoke", "7"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("resolved: No token 7\n");
  });
});
