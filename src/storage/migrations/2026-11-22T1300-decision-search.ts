import { sql, type Kysely } from "kysely";

/**
 * Search and browse at scale (src/services/search/).
 *
 * 1. decision.search_head: a second, small tsvector over the title (A) and the decision text and items (B)
 *    only, with its own GIN index. When a common word matches most of the register, the search ranks the best
 *    of these short matches (cheap) instead of every full record.
 * 2. decision_meeting_date_order_idx: the register's date order (meeting date, publication, id, newest first),
 *    so browsing and "most recent matches" read the newest rows first instead of sorting all of them.
 * 3. The status timeline, derived: a decision's status is never stored (src/services/decisions derives it at an
 *    instant), but filtering 100,000 decisions by status cannot derive each one per request. So the periods
 *    of each decision's status (derived by src/services/decisions, as for every other view) are kept in
 *    derived.decision_status_period: one row per period [from_at, until_at), with the call-in facts. Any
 *    change that can move a decision's timeline (the decision row, its call-in requests, its council's rule or
 *    closure days) marks the decision in derived.decision_dirty by trigger, whoever writes it; the search
 *    service derives the marked decisions again before it answers. A status changing by itself at a cutoff
 *    needs nothing: the periods already say when.
 *
 * The derived tables live in their own schema: they are not part of the register (the export leaves them out,
 * a restore rebuilds them through the same triggers).
 */

const TIMELINE_SCHEMA = "derived";

export async function up(db: Kysely<unknown>): Promise<void> {
  // --- 1. The short search vector ---------------------------------------------------------------------------
  await sql`
    alter table decision add column search_head tsvector not null generated always as (
      setweight(to_tsvector('english'::regconfig, title), 'A')
      || setweight(to_tsvector('english'::regconfig,
           jsonb_path_query_array(outcomes, '$[*].text') || jsonb_path_query_array(outcomes, '$[*].items[*]')), 'B')
    ) stored`.execute(db);
  await db.schema
    .createIndex("decision_search_head_idx")
    .on("decision")
    .using("gin")
    .column("search_head")
    .execute();

  // --- 2. The register's order ------------------------------------------------------------------------------
  await sql`
    create index decision_meeting_date_order_idx
    on decision (meeting_date desc, published_on desc nulls last, id desc)`.execute(db);

  // --- 3. Status timelines ----------------------------------------------------------------------------------
  await sql`create schema ${sql.id(TIMELINE_SCHEMA)}`.execute(db);

  // Each period of a decision's status: [from_at, until_at), -infinity / infinity at the open ends. status is
  // null (one period for all time) when the decision's recorded facts contradict each other, with the problem.
  await sql`
    create table derived.decision_status_period (
      decision_id integer not null references public.decision (id) on delete cascade,
      seq smallint not null,
      status text,
      from_at timestamptz not null,
      until_at timestamptz not null,
      subject_to_call_in boolean,
      call_in_cutoff timestamptz,
      problem text,
      primary key (decision_id, seq),
      constraint decision_status_period_order check (from_at < until_at)
    )`.execute(db);
  await sql`
    create index decision_status_period_status_idx
    on derived.decision_status_period (status, until_at)`.execute(db);
  await sql`
    create index decision_status_period_until_idx
    on derived.decision_status_period (until_at)`.execute(db);
  await sql`
    create index decision_status_period_cutoff_idx
    on derived.decision_status_period (call_in_cutoff) where call_in_cutoff is not null`.execute(db);

  // Decisions whose timeline must be derived again. No foreign key: a mark may outlive its decision (a draft
  // deleted), and is then simply dropped.
  await sql`
    create table derived.decision_dirty (
      id bigint generated always as identity primary key,
      decision_id integer not null
    )`.execute(db);

  await sql`
    create function resolved_mark_decision_dirty() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'decision' then
        insert into derived.decision_dirty (decision_id) values (new.id);
      elsif tg_op = 'DELETE' then
        insert into derived.decision_dirty (decision_id) values (old.decision_id);
      else
        insert into derived.decision_dirty (decision_id) values (new.decision_id);
        if tg_op = 'UPDATE' and old.decision_id is distinct from new.decision_id then
          insert into derived.decision_dirty (decision_id) values (old.decision_id);
        end if;
      end if;
      return null;
    end
    $$`.execute(db);

  await sql`
    create function resolved_mark_council_decisions_dirty() returns trigger language plpgsql as $$
    begin
      if tg_table_name = 'council' then
        insert into derived.decision_dirty (decision_id) select id from public.decision where council_id = new.id;
      else
        if tg_op <> 'INSERT' then
          insert into derived.decision_dirty (decision_id) select id from public.decision where council_id = old.council_id;
        end if;
        if tg_op <> 'DELETE' then
          insert into derived.decision_dirty (decision_id) select id from public.decision where council_id = new.council_id;
        end if;
      end if;
      return null;
    end
    $$`.execute(db);

  await sql`
    create trigger decision_mark_dirty after insert or update on decision
    for each row execute function resolved_mark_decision_dirty()`.execute(db);
  await sql`
    create trigger call_in_request_mark_dirty after insert or update or delete on call_in_request
    for each row execute function resolved_mark_decision_dirty()`.execute(db);
  await sql`
    create trigger council_mark_dirty after update on council
    for each row when (old.call_in_rule is distinct from new.call_in_rule)
    execute function resolved_mark_council_decisions_dirty()`.execute(db);
  await sql`
    create trigger council_non_working_day_mark_dirty after insert or update or delete on council_non_working_day
    for each row execute function resolved_mark_council_decisions_dirty()`.execute(db);

  // The decisions already in the register are derived on first use.
  await sql`insert into derived.decision_dirty (decision_id) select id from decision order by id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger council_non_working_day_mark_dirty on council_non_working_day`.execute(db);
  await sql`drop trigger council_mark_dirty on council`.execute(db);
  await sql`drop trigger call_in_request_mark_dirty on call_in_request`.execute(db);
  await sql`drop trigger decision_mark_dirty on decision`.execute(db);
  await sql`drop function resolved_mark_council_decisions_dirty()`.execute(db);
  await sql`drop function resolved_mark_decision_dirty()`.execute(db);
  await sql`drop schema ${sql.id(TIMELINE_SCHEMA)} cascade`.execute(db);
  await sql`drop index decision_meeting_date_order_idx`.execute(db);
  await sql`drop index decision_search_head_idx`.execute(db);
  await sql`alter table decision drop column search_head`.execute(db);
}
