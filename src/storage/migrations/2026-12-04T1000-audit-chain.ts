import { sql, type Kysely } from "kysely";

/**
 * A tamper-evident audit log (issue 9): audit entries and decision versions are hash-chained, so a row edited or
 * removed directly in the database (bypassing the append-only triggers) shows up in `resolved audit verify`
 * (src/services/audit/audit-chain.ts recomputes the chains in TypeScript, byte for byte as below).
 *
 * Each row gets prev_hash (the hash of the row before it in its chain; 64 zeros for the first) and hash:
 *
 *   hash = hex(sha256("resolved.<table>.v1" || field(prev_hash) || field(column 1) || … || field(column n)))
 *   field(null) = 0x00 'N'      field(text) = 0x00 'V' || UTF-8 bytes of the text
 *
 * Columns as text: integers in decimal, instants in UTC with microseconds ("2026-12-04T10:00:00.123456Z", as the
 * export writes them), jsonb as jsonb::text (PostgreSQL's canonical form). Text cannot hold a NUL byte, so the
 * fields cannot run into each other.
 *
 * - audit_log: one chain over the whole log, in id order. Writers are serialised by the one-row
 *   derived.audit_chain_head: a transaction's first INSERT locks it (by updating it) until commit, before the
 *   statement draws any id, so concurrent transactions cannot fork the chain and id order is chain order. At
 *   commit the head records the last entry, so verify also sees entries removed from the end.
 * - decision_version: one chain per decision, in version order. Drafts may be deleted with their versions
 *   (decision_forbid_published_delete allows it), which would break a single chain over all versions; the
 *   unique (decision_id, version) already keeps each decision's chain linear.
 *
 * Hashes are always computed by the database: an insert may give prev_hash and hash only if they are the ones
 * the chain gives (that is how a restore loads an export, whose rows carry their hashes), otherwise it is refused.
 * TRUNCATE of audit_log (tests empty the register that way) starts its chain again.
 * One statement per call: PGlite runs each query through the extended protocol, which takes one statement.
 */

const GENESIS = "0".repeat(64);

export async function up(db: Kysely<unknown>): Promise<void> {
  // --- The hash -----------------------------------------------------------------------------------------------

  await sql`
    create function resolved_chain_field(value text) returns bytea language sql immutable as $$
      select case when value is null then decode('004e', 'hex')
                  else decode('0056', 'hex') || convert_to(value, 'UTF8') end
    $$`.execute(db);

  await sql`
    create function resolved_chain_instant(value timestamptz) returns text language sql stable as $$
      select to_char(value at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    $$`.execute(db);

  await sql`
    create function resolved_audit_log_hash(
      prev_hash text, id bigint, at timestamptz, actor text, action text, entity text, entity_id text,
      council_id integer, details jsonb
    ) returns text language sql stable as $$
      select encode(sha256(
        convert_to('resolved.audit_log.v1', 'UTF8')
        || resolved_chain_field(prev_hash)
        || resolved_chain_field(id::text)
        || resolved_chain_field(resolved_chain_instant(at))
        || resolved_chain_field(actor)
        || resolved_chain_field(action)
        || resolved_chain_field(entity)
        || resolved_chain_field(entity_id)
        || resolved_chain_field(council_id::text)
        || resolved_chain_field(details::text)
      ), 'hex')
    $$`.execute(db);

  await sql`
    create function resolved_decision_version_hash(
      prev_hash text, id integer, decision_id integer, version integer, record jsonb, reason text,
      source_document_id integer, created_at timestamptz, created_by text
    ) returns text language sql stable as $$
      select encode(sha256(
        convert_to('resolved.decision_version.v1', 'UTF8')
        || resolved_chain_field(prev_hash)
        || resolved_chain_field(id::text)
        || resolved_chain_field(decision_id::text)
        || resolved_chain_field(version::text)
        || resolved_chain_field(record::text)
        || resolved_chain_field(reason)
        || resolved_chain_field(source_document_id::text)
        || resolved_chain_field(resolved_chain_instant(created_at))
        || resolved_chain_field(created_by)
      ), 'hex')
    $$`.execute(db);

  // --- The columns, filled for the rows already there -------------------------------------------------------

  await sql`alter table audit_log add column prev_hash text, add column hash text`.execute(db);
  await sql`alter table decision_version add column prev_hash text, add column hash text`.execute(db);

  // Outside the register's schema, like the status timelines: the export leaves it out, and a restore rebuilds
  // it through the trigger below. One row: the lock that serialises writers, and the chain's last entry.
  await sql`
    create table derived.audit_chain_head (
      singleton boolean primary key default true check (singleton),
      last_id bigint not null,
      last_hash text not null
    )`.execute(db);

  await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
  await sql`alter table decision_version disable trigger decision_version_immutable`.execute(db);
  await sql`
    do $$
    declare
      entry record;
      prev text := ${sql.lit(GENESIS)};
      last bigint := 0;
    begin
      for entry in select * from audit_log order by id loop
        update audit_log
        set prev_hash = prev,
            hash = resolved_audit_log_hash(prev, entry.id, entry.at, entry.actor, entry.action, entry.entity,
                                           entry.entity_id, entry.council_id, entry.details)
        where id = entry.id
        returning hash into prev;
        last := entry.id;
      end loop;
      insert into derived.audit_chain_head (last_id, last_hash) values (last, prev);
    end
    $$`.execute(db);
  await sql`
    do $$
    declare
      v record;
      prev text;
      current_decision integer;
    begin
      for v in select * from decision_version order by decision_id, version loop
        if current_decision is distinct from v.decision_id then
          prev := ${sql.lit(GENESIS)};
          current_decision := v.decision_id;
        end if;
        update decision_version
        set prev_hash = prev,
            hash = resolved_decision_version_hash(prev, v.id, v.decision_id, v.version, v.record, v.reason,
                                                  v.source_document_id, v.created_at, v.created_by)
        where id = v.id
        returning hash into prev;
      end loop;
    end
    $$`.execute(db);
  await sql`alter table audit_log enable trigger audit_log_append_only`.execute(db);
  await sql`alter table decision_version enable trigger decision_version_immutable`.execute(db);

  for (const table of ["audit_log", "decision_version"]) {
    await sql`
      alter table ${sql.table(table)}
        alter column prev_hash set not null,
        alter column hash set not null,
        add constraint ${sql.id(`${table}_hash_format`)}
          check (prev_hash ~ '^[0-9a-f]{64}$' and hash ~ '^[0-9a-f]{64}$')`.execute(db);
  }

  // --- Chaining new rows --------------------------------------------------------------------------------------
  // (Measured: three cheap triggers, not one that locks and updates the head for every row. That one made a
  // bulk import of 10,000 records a quarter slower, and grew quadratically with the rows of one transaction.)

  // Once per transaction, before its first entry: take the head's row lock (held until commit), so the next
  // writer waits here and then sees this one's entries. Updating the row (rather than only locking it) makes a
  // repeatable-read writer whose snapshot predates another's entries fail with a serialisation error instead of
  // chaining onto an old entry. A row this transaction already updated carries its xid in xmin.
  await sql`
    create function resolved_audit_log_chain_lock() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from derived.audit_chain_head where xmin = pg_current_xact_id()::xid) then
        update derived.audit_chain_head set last_id = last_id;
        if not found then
          raise exception 'derived.audit_chain_head is empty: the audit chain has no head';
        end if;
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_chain_lock before insert on audit_log
    for each statement execute function resolved_audit_log_chain_lock()`.execute(db);

  // Each row, under that lock: chain onto the last entry there is (earlier rows of the same statement included).
  await sql`
    create function resolved_audit_log_chain() returns trigger language plpgsql as $$
    declare
      last record;
      prev text;
      computed text;
    begin
      select id, hash into last from audit_log order by id desc limit 1;
      prev := coalesce(last.hash, ${sql.lit(GENESIS)});
      if new.id <= last.id then
        -- An id drawn before the lock (it is taken before the statement draws any, so only by hand): draw
        -- again, so that id order stays chain order.
        if new.hash is not null then
          raise exception 'audit_log entry % comes after entry % in the chain: ids must increase', new.id, last.id
            using errcode = 'check_violation';
        end if;
        new.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
        if new.id <= last.id then
          raise exception 'the audit_log id sequence (%) is behind the audit log (%)', new.id, last.id;
        end if;
      end if;
      computed := resolved_audit_log_hash(prev, new.id, new.at, new.actor, new.action, new.entity,
                                          new.entity_id, new.council_id, new.details);
      if (new.prev_hash is not null and new.prev_hash <> prev)
         or (new.hash is not null and new.hash <> computed) then
        raise exception 'audit_log entry %: the hashes given are not the ones the audit chain gives', new.id
          using errcode = 'check_violation',
                hint = 'Hashes are computed by the database; give them only to load an intact export.';
      end if;
      new.prev_hash := prev;
      new.hash := computed;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_chain before insert on audit_log
    for each row execute function resolved_audit_log_chain()`.execute(db);

  // At commit, the head records the transaction's last entry, so verify can tell entries removed from the end.
  // Once per transaction, not per row: many updates of one row in one transaction grow its version chain, and
  // each later read walks it (a restore of a million entries would take hours).
  await sql`
    create function resolved_audit_log_chain_head() returns trigger language plpgsql as $$
    begin
      if new.id = (select max(id) from audit_log) then
        update derived.audit_chain_head set last_id = new.id, last_hash = new.hash;
      end if;
      return null;
    end
    $$`.execute(db);
  await sql`
    create constraint trigger audit_log_chain_head after insert on audit_log
    deferrable initially deferred
    for each row execute function resolved_audit_log_chain_head()`.execute(db);

  await sql`
    create function resolved_audit_log_chain_restart() returns trigger language plpgsql as $$
    begin
      update derived.audit_chain_head set last_id = 0, last_hash = ${sql.lit(GENESIS)};
      return null;
    end
    $$`.execute(db);
  await sql`
    create trigger audit_log_chain_restart after truncate on audit_log
    for each statement execute function resolved_audit_log_chain_restart()`.execute(db);

  await sql`
    create function resolved_decision_version_chain() returns trigger language plpgsql as $$
    declare
      last record;
      prev text;
      computed text;
    begin
      select version, hash into last from decision_version
      where decision_id = new.decision_id order by version desc limit 1;
      -- A version slipped in before a later one would break the chain after it.
      if last.version > new.version then
        raise exception 'decision % already has a version after %', new.decision_id, new.version
          using errcode = 'check_violation';
      end if;
      -- The same version twice is left to the unique constraint, whose error the callers know.
      prev := case when last.version < new.version then last.hash else ${sql.lit(GENESIS)} end;
      computed := resolved_decision_version_hash(prev, new.id, new.decision_id, new.version, new.record, new.reason,
                                                 new.source_document_id, new.created_at, new.created_by);
      if (new.prev_hash is not null and new.prev_hash <> prev)
         or (new.hash is not null and new.hash <> computed) then
        raise exception 'decision_version %: the hashes given are not the ones the chain gives', new.id
          using errcode = 'check_violation',
                hint = 'Hashes are computed by the database; give them only to load an intact export.';
      end if;
      new.prev_hash := prev;
      new.hash := computed;
      return new;
    end
    $$`.execute(db);
  await sql`
    create trigger decision_version_chain before insert on decision_version
    for each row execute function resolved_decision_version_chain()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger decision_version_chain on decision_version`.execute(db);
  await sql`drop trigger audit_log_chain_restart on audit_log`.execute(db);
  await sql`drop trigger audit_log_chain_head on audit_log`.execute(db);
  await sql`drop trigger audit_log_chain on audit_log`.execute(db);
  await sql`drop trigger audit_log_chain_lock on audit_log`.execute(db);
  await sql`drop function resolved_decision_version_chain()`.execute(db);
  await sql`drop function resolved_audit_log_chain_restart()`.execute(db);
  await sql`drop function resolved_audit_log_chain_head()`.execute(db);
  await sql`drop function resolved_audit_log_chain()`.execute(db);
  await sql`drop function resolved_audit_log_chain_lock()`.execute(db);
  await sql`drop table derived.audit_chain_head`.execute(db);
  for (const table of ["audit_log", "decision_version"]) {
    await sql`
      alter table ${sql.table(table)}
        drop constraint ${sql.id(`${table}_hash_format`)}, drop column prev_hash, drop column hash`.execute(
      db,
    );
  }
  await sql`drop function resolved_decision_version_hash(text, integer, integer, integer, jsonb, text, integer, timestamptz, text)`.execute(
    db,
  );
  await sql`drop function resolved_audit_log_hash(text, bigint, timestamptz, text, text, text, text, integer, jsonb)`.execute(
    db,
  );
  await sql`drop function resolved_chain_instant(timestamptz)`.execute(db);
  await sql`drop function resolved_chain_field(text)`.execute(db);
}
