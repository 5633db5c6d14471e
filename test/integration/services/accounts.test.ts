import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../../../src/domain/errors.js";
import { ROLES } from "../../../src/domain/roles.js";
import {
  createAccount,
  createApiToken,
  disableAccount,
  enableAccount,
  lastTokenUseByAccount,
  newAccountProblems,
  setAccountRoles,
  signOutEverywhere,
  findAccountByEmail,
  findAccountById,
  findAccountByToken,
  hashApiToken,
  listAccounts,
  listApiTokens,
  revokeApiToken,
  setPassword,
  verifyPassword,
  type NewAccount,
} from "../../../src/services/accounts/index.js";
import { findOrCreateCouncil } from "../../../src/services/councils/index.js";
import { useTestDatabase } from "../backends.js";

const t = useTestDatabase();
const ACTOR = "test:accounts";
const PASSWORD = "plenty of words in this passphrase";

function account(overrides: Partial<NewAccount> = {}): NewAccount {
  return {
    email: "jane.admin@stockton.gov.uk",
    name: "Jane Admin",
    roles: ["admin"],
    password: PASSWORD,
    actor: ACTOR,
    ...overrides,
  };
}

async function counts() {
  const count = async (table: "account" | "accountRole" | "person" | "auditLog" | "apiToken") =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    account: await count("account"),
    accountRole: await count("accountRole"),
    person: await count("person"),
    auditLog: await count("auditLog"),
    apiToken: await count("apiToken"),
  };
}

describe("createAccount", () => {
  it.each(ROLES)("creates an account with the role %s, audited without the password", async (role) => {
    const created = await createAccount(
      t.database,
      account({ email: `${role}@stockton.gov.uk`, roles: [role] }),
    );
    expect(created).toMatchObject({
      email: `${role}@stockton.gov.uk`,
      name: "Jane Admin",
      roles: [role],
      disabledAt: null,
      hasPassword: true,
    });
    expect(created.personId === null).toBe(role !== "councillor");
    expect(await findAccountById(t.db, created.id)).toEqual(created);
    const row = await t.db.selectFrom("account").selectAll().executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "account.created")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: ACTOR, entity: "account", entityId: String(created.id) });
    expect(JSON.stringify(audit[0]!.details)).not.toContain("passphrase");
    expect(JSON.stringify(audit[0]!.details)).not.toContain("argon2");
  });

  it("holds several roles, in the order of ROLES, each once", async () => {
    const created = await createAccount(
      t.database,
      account({ roles: ["admin", "officer", "proper-officer", "officer"] }),
    );
    expect(created.roles).toEqual(["officer", "proper-officer", "admin"]);
  });

  it("stores the email lower-cased and refuses the same email in any case", async () => {
    const first = await createAccount(t.database, account({ email: "  Jane.Admin@Stockton.GOV.uk " }));
    expect(first.email).toBe("jane.admin@stockton.gov.uk");
    const before = await counts();
    await expect(
      createAccount(t.database, account({ email: "JANE.ADMIN@stockton.gov.uk", name: "Someone Else" })),
    ).rejects.toThrow(ConflictError);
    expect(await counts()).toEqual(before);
    expect((await findAccountByEmail(t.db, "JANE.admin@STOCKTON.gov.uk"))?.id).toBe(first.id);
  });

  it("writes nothing when validation fails, and names the field", async () => {
    const before = await counts();
    const cases: Array<[Partial<NewAccount>, string]> = [
      [{ email: "not an email" }, "email"],
      [{ email: "two@@at.uk" }, "email"],
      [{ email: "" }, "email"],
      [{ name: "   " }, "name"],
      [{ roles: [] }, "role"],
      [{ roles: ["admin", "mayor"] }, "role"],
      [{ password: "short" }, "password"],
      [{ password: "password1234" }, "password"],
      [{ password: "jane admin is here" }, "password"],
      [{ ward: "Norton" }, "ward"],
      [{ roles: ["councillor"], jobTitle: "Director" }, "job-title"],
    ];
    for (const [overrides, field] of cases) {
      const error = await createAccount(t.database, account(overrides)).catch((e: unknown) => e);
      expect(error, JSON.stringify(overrides)).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
    await expect(createAccount(t.database, account({ council: "nowhere" }))).rejects.toThrow(NotFoundError);
    expect(await counts()).toEqual(before);
  });

  it("creates the default council for the first account of a new install, then uses it", async () => {
    const first = await createAccount(t.database, account());
    const councils = await t.db.selectFrom("council").select(["id", "slug"]).execute();
    expect(councils).toEqual([{ id: first.councilId, slug: "stockton-on-tees" }]);
    const second = await createAccount(
      t.database,
      account({ email: "b@stockton.gov.uk", council: "stockton" }),
    );
    expect(second.councilId).toBe(first.councilId);
  });

  it("uses the register's only council, and asks which when there are several", async () => {
    const salford = (await findOrCreateCouncil(t.db, { name: "Salford City Council" }, ACTOR)).council;
    expect((await createAccount(t.database, account())).councilId).toBe(salford.id);
    await findOrCreateCouncil(t.db, { name: "Gloucestershire County Council" }, ACTOR);
    const error = await createAccount(t.database, account({ email: "c@x.gov.uk" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe("council");
    const named = await createAccount(
      t.database,
      account({ email: "c@x.gov.uk", council: "gloucestershire" }),
    );
    expect(named.councilId).not.toBe(salford.id);
  });

  it("makes a councillor's account the councillor's person record", async () => {
    const created = await createAccount(
      t.database,
      account({
        email: "cllr.jones@stockton.gov.uk",
        name: "Ann Jones",
        roles: ["councillor", "scrutiny-chair"],
        ward: "Norton",
        party: "Labour",
        portfolio: "Adult Social Care",
        password: null,
      }),
    );
    expect(created.hasPassword).toBe(false);
    const person = await t.db
      .selectFrom("person")
      .selectAll()
      .where("id", "=", created.personId!)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      councilId: created.councilId,
      name: "Ann Jones",
      role: "councillor",
      ward: "Norton",
      party: "Labour",
      portfolio: "Adult Social Care",
      jobTitle: null,
    });
  });

  it("links a councillor's account to the existing person of that name, filling in only what is missing", async () => {
    const council = (await findOrCreateCouncil(t.db, { slug: "stockton-on-tees" }, ACTOR)).council;
    const existing = await t.db
      .insertInto("person")
      .values({ councilId: council.id, name: "Ann  Jones", role: "councillor", ward: "Norton" })
      .returning("id")
      .executeTakeFirstOrThrow();
    // Same name ignoring case and spacing, with no account yet: linked; the ward kept, the party filled in.
    const linked = await createAccount(
      t.database,
      account({
        email: "ann@x.gov.uk",
        name: "ANN JONES",
        roles: ["councillor"],
        ward: "Elsewhere",
        party: "Labour",
      }),
    );
    expect(linked.personId).toBe(existing.id);
    const person = await t.db
      .selectFrom("person")
      .selectAll()
      .where("id", "=", existing.id)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ ward: "Norton", party: "Labour" });
    // A namesake's account: that person has an account already, so another person record is made.
    const namesake = await createAccount(
      t.database,
      account({ email: "ann.b@x.gov.uk", name: "Ann Jones", roles: ["councillor"], password: null }),
    );
    expect(namesake.personId).not.toBe(existing.id);
    expect(await t.db.selectFrom("person").select("id").execute()).toHaveLength(2);
  });

  it("gives an officer with a job title a person record (role officer)", async () => {
    const created = await createAccount(
      t.database,
      account({
        email: "dso@x.gov.uk",
        name: "Sam Clerk",
        roles: ["officer"],
        jobTitle: "Democratic Services Officer",
      }),
    );
    const person = await t.db
      .selectFrom("person")
      .selectAll()
      .where("id", "=", created.personId!)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ role: "officer", jobTitle: "Democratic Services Officer", ward: null });
  });

  it("lists accounts by email", async () => {
    await createAccount(t.database, account({ email: "zed@x.gov.uk" }));
    await createAccount(t.database, account({ email: "amy@x.gov.uk", roles: ["officer"] }));
    expect((await listAccounts(t.db)).map((a) => [a.email, a.roles])).toEqual([
      ["amy@x.gov.uk", ["officer"]],
      ["zed@x.gov.uk", ["admin"]],
    ]);
  });
});

describe("verifyPassword", () => {
  it("returns the account for the right password only", async () => {
    const created = await createAccount(t.database, account());
    expect(await verifyPassword(t.db, "Jane.Admin@stockton.gov.uk", PASSWORD)).toEqual(created);
    expect(await verifyPassword(t.db, created.email, `${PASSWORD}!`)).toBeNull();
    expect(await verifyPassword(t.db, created.email, "")).toBeNull();
    expect(await verifyPassword(t.db, "nobody@stockton.gov.uk", PASSWORD)).toBeNull();
  });

  it("returns null for an account without a password, or a disabled one", async () => {
    await createAccount(t.database, account({ email: "sso@x.gov.uk", password: null }));
    expect(await verifyPassword(t.db, "sso@x.gov.uk", "")).toBeNull();
    expect(await verifyPassword(t.db, "sso@x.gov.uk", PASSWORD)).toBeNull();
    const created = await createAccount(t.database, account());
    const disabled = await disableAccount(t.database, created.email, ACTOR);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await verifyPassword(t.db, created.email, PASSWORD)).toBeNull();
    // Twice changes nothing (and audits once).
    expect((await disableAccount(t.database, created.email, ACTOR)).disabledAt).toEqual(disabled.disabledAt);
    expect(
      await t.db.selectFrom("auditLog").select("id").where("action", "=", "account.disabled").execute(),
    ).toHaveLength(1);
  });

  it("spends argon2 time on an unknown email too", async () => {
    await createAccount(t.database, account());
    await verifyPassword(t.db, "warm@up.uk", PASSWORD); // the dummy hash is made on first use
    const time = async (email: string) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await verifyPassword(t.db, email, "wrong password here");
      return performance.now() - start;
    };
    const known = await time("jane.admin@stockton.gov.uk");
    const unknown = await time("nobody@stockton.gov.uk");
    // argon2 at these settings takes several ms a check; a bare lookup is far less.
    expect(unknown).toBeGreaterThan(known * 0.4);
  });

  it("setPassword changes it after the rules, or removes it", async () => {
    await createAccount(t.database, account());
    await expect(
      setPassword(t.database, "jane.admin@stockton.gov.uk", "qwertyuiop123", ACTOR),
    ).rejects.toThrow(ValidationError);
    await setPassword(t.database, "jane.admin@stockton.gov.uk", "another long pass phrase", ACTOR);
    expect(await verifyPassword(t.db, "jane.admin@stockton.gov.uk", PASSWORD)).toBeNull();
    expect(
      await verifyPassword(t.db, "jane.admin@stockton.gov.uk", "another long pass phrase"),
    ).not.toBeNull();
    const removed = await setPassword(t.database, "jane.admin@stockton.gov.uk", null, ACTOR);
    expect(removed.hasPassword).toBe(false);
    await expect(setPassword(t.database, "x@y.uk", null, ACTOR)).rejects.toThrow(NotFoundError);
  });
});

describe("API tokens", () => {
  it("creates a token shown once, kept only as its SHA-256, and finds the account by it", async () => {
    const created = await createAccount(t.database, account({ roles: ["officer"] }));
    const { token, id } = await createApiToken(t.database, "JANE.ADMIN@stockton.gov.uk", "deploy bot", ACTOR);
    expect(token).toMatch(/^rsv_[A-Za-z0-9_-]{43}$/);
    const row = await t.db.selectFrom("apiToken").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ accountId: created.id, label: "deploy bot", tokenHash: hashApiToken(token) });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const stored = JSON.stringify(await t.db.selectFrom("apiToken").selectAll().execute());
    expect(stored).not.toContain(token);
    const audit = JSON.stringify(await t.db.selectFrom("auditLog").selectAll().execute());
    expect(audit).not.toContain(token);
    expect(audit).not.toContain(row.tokenHash);

    expect(await findAccountByToken(t.db, token)).toEqual(created);
    // Another token: the last character changed (to one it is not: a random token may end in "A").
    const other = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await findAccountByToken(t.db, other)).toBeNull();
    expect(await findAccountByToken(t.db, "not a token")).toBeNull();
    expect(await findAccountByToken(t.db, "")).toBeNull();
  });

  it("notes when a token was used, at most once a minute", async () => {
    await createAccount(t.database, account());
    const { token, id } = await createApiToken(t.database, "jane.admin@stockton.gov.uk", undefined, ACTOR);
    const lastUsed = async () =>
      (await t.db.selectFrom("apiToken").select("lastUsedAt").where("id", "=", id).executeTakeFirstOrThrow())
        .lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await findAccountByToken(t.db, token);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    await findAccountByToken(t.db, token);
    expect(await lastUsed()).toEqual(first);
    await t.db
      .updateTable("apiToken")
      .set({ lastUsedAt: sql<Date>`now() - interval '2 minutes'` })
      .where("id", "=", id)
      .execute();
    const old = await lastUsed();
    await findAccountByToken(t.db, token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(old!.getTime());
  });

  it("stops a revoked token at once, by id or by the token; revoking again changes nothing", async () => {
    await createAccount(t.database, account());
    const a = await createApiToken(t.database, "jane.admin@stockton.gov.uk", "a", ACTOR);
    const b = await createApiToken(t.database, "jane.admin@stockton.gov.uk", "b", ACTOR);
    const revoked = await revokeApiToken(t.database, a.id, ACTOR);
    expect(revoked).toMatchObject({ id: a.id, label: "a", email: "jane.admin@stockton.gov.uk" });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await findAccountByToken(t.db, a.token)).toBeNull();
    expect(await findAccountByToken(t.db, b.token)).not.toBeNull();
    await revokeApiToken(t.database, b.token, ACTOR);
    expect(await findAccountByToken(t.db, b.token)).toBeNull();
    expect((await revokeApiToken(t.database, String(a.id), ACTOR)).revokedAt).toEqual(revoked.revokedAt);
    expect(
      await t.db.selectFrom("auditLog").select("id").where("action", "=", "api-token.revoked").execute(),
    ).toHaveLength(2);
    await expect(revokeApiToken(t.database, 999, ACTOR)).rejects.toThrow(NotFoundError);
    await expect(revokeApiToken(t.database, "rsv_unknown", ACTOR)).rejects.toThrow(NotFoundError);
    await expect(revokeApiToken(t.database, "abc", ACTOR)).rejects.toThrow(ValidationError);
  });

  it("stops a disabled account's tokens, and makes no new ones for it", async () => {
    await createAccount(t.database, account());
    const { token } = await createApiToken(t.database, "jane.admin@stockton.gov.uk", undefined, ACTOR);
    await disableAccount(t.database, "jane.admin@stockton.gov.uk", ACTOR);
    expect(await findAccountByToken(t.db, token)).toBeNull();
    await expect(createApiToken(t.database, "jane.admin@stockton.gov.uk", undefined, ACTOR)).rejects.toThrow(
      ConflictError,
    );
    await expect(createApiToken(t.database, "nobody@x.uk", undefined, ACTOR)).rejects.toThrow(NotFoundError);
  });

  it("lists tokens newest first, all or one account's, never with a hash", async () => {
    await createAccount(t.database, account());
    await createAccount(t.database, account({ email: "other@x.gov.uk" }));
    const one = await createApiToken(t.database, "jane.admin@stockton.gov.uk", "one", ACTOR);
    const two = await createApiToken(t.database, "other@x.gov.uk", "two", ACTOR);
    const all = await listApiTokens(t.db);
    expect(all.map((v) => v.id)).toEqual([two.id, one.id]);
    expect(Object.keys(all[0]!).sort()).toEqual(
      ["accountId", "createdAt", "email", "id", "label", "lastUsedAt", "revokedAt"].sort(),
    );
    expect((await listApiTokens(t.db, "OTHER@x.gov.uk")).map((v) => v.label)).toEqual(["two"]);
  });
});

describe("the admin's changes to an account", () => {
  async function sessionRow(accountId: number, sid: string) {
    await t.db
      .insertInto("webSession")
      .values({ sid, accountId, data: "{}", expiresAt: new Date(Date.now() + 3_600_000) })
      .execute();
  }

  it("newAccountProblems lists every problem at once, each naming its field", () => {
    const problems = newAccountProblems({
      email: "nope",
      name: " ",
      roles: [],
      ward: "Norton",
      password: "password1234",
    });
    expect(problems.map((p) => p.field)).toEqual(["email", "name", "role", "password"]);
    expect(newAccountProblems(account())).toEqual([]);
  });

  it("changes roles with before and after in the audit log, and refuses an admin's own admin role", async () => {
    const admin = await createAccount(t.database, account());
    const bob = await createAccount(
      t.database,
      account({ email: "bob@x.gov.uk", name: "Bob Cook", roles: ["officer"] }),
    );
    const changed = await setAccountRoles(t.database, bob.id, ["councillor", "officer"], ACTOR, {
      councilId: admin.councilId,
      actingAccountId: admin.id,
    });
    expect(changed.changed).toBe(true);
    expect(changed.account.roles).toEqual(["officer", "councillor"]);
    // Made a councillor: the account is now a councillor's person record.
    const person = await t.db
      .selectFrom("person")
      .selectAll()
      .where("id", "=", changed.account.personId!)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({ name: "Bob Cook", role: "councillor" });
    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "account.roles-changed")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({
      before: { roles: ["officer"], personId: null },
      after: { roles: ["officer", "councillor"], personId: person.id },
      personCreated: true,
    });
    expect((await setAccountRoles(t.database, bob.id, ["officer", "councillor"], ACTOR)).changed).toBe(false);

    const before = await counts();
    const own = await setAccountRoles(t.database, admin.id, ["officer"], ACTOR, {
      actingAccountId: admin.id,
    }).catch((e: unknown) => e);
    expect(own).toBeInstanceOf(ValidationError);
    expect((own as ValidationError).field).toBe("role");
    await expect(setAccountRoles(t.database, bob.id, [], ACTOR)).rejects.toThrow(ValidationError);
    await expect(setAccountRoles(t.database, bob.id, ["mayor"], ACTOR)).rejects.toThrow(ValidationError);
    expect(await counts()).toEqual(before);
    // Another admin may take it away (the CLI gives no guard at all).
    expect((await setAccountRoles(t.database, admin.id, ["officer"], ACTOR)).account.roles).toEqual([
      "officer",
    ]);
  });

  it("refuses to make an officer's account a councillor's", async () => {
    const priya = await createAccount(
      t.database,
      account({ email: "priya@x.gov.uk", name: "Priya Shah", roles: ["officer"], jobTitle: "Director" }),
    );
    await expect(setAccountRoles(t.database, priya.id, ["councillor"], ACTOR)).rejects.toThrow(
      "a councillor needs an account of their own",
    );
  });

  it("keeps each council's accounts to its own admins", async () => {
    const admin = await createAccount(t.database, account());
    const salford = (await findOrCreateCouncil(t.db, { name: "Salford City Council" }, ACTOR)).council;
    const other = await createAccount(
      t.database,
      account({ email: "s@salford.gov.uk", council: salford.slug }),
    );
    const guard = { councilId: admin.councilId, actingAccountId: admin.id };
    await expect(setAccountRoles(t.database, other.id, ["officer"], ACTOR, guard)).rejects.toThrow(
      NotFoundError,
    );
    await expect(disableAccount(t.database, other.email, ACTOR, guard)).rejects.toThrow(NotFoundError);
    await expect(enableAccount(t.database, other.id, ACTOR, guard)).rejects.toThrow(NotFoundError);
    await expect(signOutEverywhere(t.database, other.id, ACTOR, guard)).rejects.toThrow(NotFoundError);
    const { id: tokenId } = await createApiToken(t.database, other.email, "x", ACTOR);
    await expect(revokeApiToken(t.database, tokenId, ACTOR, { councilId: admin.councilId })).rejects.toThrow(
      NotFoundError,
    );
    await expect(revokeApiToken(t.database, tokenId, ACTOR, { accountId: admin.id })).rejects.toThrow(
      NotFoundError,
    );
    expect((await listAccounts(t.db, { councilId: admin.councilId })).map((a) => a.email)).toEqual([
      admin.email,
    ]);
    expect(
      await findAccountByToken(t.db, (await createApiToken(t.database, other.email, "y", ACTOR)).token),
    ).not.toBeNull();
    await expect(lastTokenUseByAccount(t.db, admin.councilId)).resolves.toEqual(new Map());
    expect((await lastTokenUseByAccount(t.db, salford.id)).get(other.id)).toBeInstanceOf(Date);
  });

  it("disables with the account's sessions ended (not the admin's own account), and enables again", async () => {
    const admin = await createAccount(t.database, account());
    const bob = await createAccount(
      t.database,
      account({ email: "bob@x.gov.uk", name: "Bob Cook", roles: ["officer"] }),
    );
    await sessionRow(bob.id, "bob-1");
    await sessionRow(bob.id, "bob-2");
    await sessionRow(admin.id, "admin-1");
    const guard = { councilId: admin.councilId, actingAccountId: admin.id };

    const self = await disableAccount(t.database, admin.email, ACTOR, guard).catch((e: unknown) => e);
    expect(self).toBeInstanceOf(ValidationError);
    expect((await findAccountById(t.db, admin.id))?.disabledAt).toBeNull();

    const disabled = await disableAccount(t.database, bob.email, ACTOR, guard);
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    const sessions = await t.db.selectFrom("webSession").select("sid").orderBy("sid").execute();
    expect(sessions.map((s) => s.sid)).toEqual(["admin-1"]);
    const audit = await t.db
      .selectFrom("auditLog")
      .selectAll()
      .where("action", "=", "account.disabled")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ email: "bob@x.gov.uk", sessionsEnded: 2 });

    const enabled = await enableAccount(t.database, bob.id, ACTOR, guard);
    expect(enabled).toMatchObject({ changed: true, account: { disabledAt: null } });
    expect((await enableAccount(t.database, bob.id, ACTOR, guard)).changed).toBe(false);
    expect(
      await t.db.selectFrom("auditLog").select("id").where("action", "=", "account.enabled").execute(),
    ).toHaveLength(1);
  });

  it("signs an account out everywhere, audited", async () => {
    const bob = await createAccount(
      t.database,
      account({ email: "bob@x.gov.uk", name: "Bob Cook", roles: ["officer"] }),
    );
    await sessionRow(bob.id, "bob-1");
    expect(await signOutEverywhere(t.database, bob.id, ACTOR)).toBe(1);
    expect(await t.db.selectFrom("webSession").select("sid").execute()).toEqual([]);
    expect(
      await t.db
        .selectFrom("auditLog")
        .select("details")
        .where("action", "=", "account.signed-out-everywhere")
        .executeTakeFirstOrThrow(),
    ).toMatchObject({ details: { sessionsEnded: 1 } });
  });
});
