import { sql, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/**
 * The initial schema: councils and their bodies, people and meetings; decisions with their version history and
 * original documents; declarations of interest, dispensations, calls-in; the audit log.
 *
 * Conventions: tables singular snake_case; `id` an identity column; instants timestamptz, calendar days date;
 * enumerations text + check constraint (values kebab-case); free text not null default '' where a record may
 * leave a section empty. Typed against Kysely<unknown> so this file never depends on today's schema types.
 * One statement per call: PGlite runs each query through the extended protocol, which takes one statement.
 * Longer than the usual 500 lines on purpose: a released migration is frozen, and this one is the whole first
 * schema; later changes are migrations of their own.
 */

const identity = (col: ColumnDefinitionBuilder) => col.primaryKey().generatedAlwaysAsIdentity();
const now = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);
const emptyText = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo("");

function inList(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;
}

const BODY_KINDS = ["executive", "committee", "individual-member", "officer"] as const;
const PERSON_ROLES = ["councillor", "officer"] as const;
const MEMBERSHIP_ROLES = ["chair", "vice-chair", "member"] as const;
const MEETING_STATUSES = ["scheduled", "held", "postponed", "cancelled"] as const;
const DECISION_STATUSES = ["draft", "published", "withdrawn"] as const;
const SCRUTINY_OUTCOMES = ["no-further-action", "referred-back", "referred-to-council"] as const;
const INTEREST_CATEGORIES = [
  "disclosable-pecuniary",
  "other-registrable",
  "non-registrable",
  "personal",
  "prejudicial",
  "other",
] as const;

/** Tables whose rows change: they get updated_at, kept by a trigger. */
const MUTABLE_TABLES = [
  "council",
  "body",
  "person",
  "body_membership",
  "meeting",
  "agenda_item",
  "decision",
  "declaration_of_interest",
  "dispensation",
  "call_in_request",
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // --- Shared trigger functions -----------------------------------------------------------------------------

  await sql`
    create function resolved_set_updated_at() returns trigger language plpgsql as $$
    begin
      new.updated_at := now();
      return new;
    end
    $$`.execute(db);

  await sql`
    create function resolved_reject_change() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'restrict_violation',
              hint = 'Add a new row instead of changing or removing one.';
    end
    $$`.execute(db);

  await sql`
    create function resolved_forbid_published_decision_delete() returns trigger language plpgsql as $$
    begin
      if old.status <> 'draft' then
        raise exception 'decision % is %: only drafts may be deleted', old.id, old.status
          using errcode = 'restrict_violation',
                hint = 'Withdraw a published decision, or correct it with a new version.';
      end if;
      return old;
    end
    $$`.execute(db);

  // --- Council, its calendar, bodies, people -----------------------------------------------------------------

  await db.schema
    .createTable("council")
    .addColumn("id", "integer", identity)
    .addColumn("slug", "text", (col) => col.notNull().unique())
    .addColumn("name", "text", (col) => col.notNull())
    // How this council's call-in period runs (window, counting, cutoff): shape defined by the domain.
    .addColumn("call_in_rule", "jsonb", (col) => col.notNull())
    .addColumn("min_call_in_signatories", "integer", (col) => col.notNull().defaultTo(1))
    // Whole pounds; null where the constitution gives no figure.
    .addColumn("key_decision_threshold", "bigint")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("council_slug_format", sql`slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`)
    .addCheckConstraint("council_name_present", sql`btrim(name) <> ''`)
    .addCheckConstraint("council_call_in_rule_object", sql`jsonb_typeof(call_in_rule) = 'object'`)
    .addCheckConstraint("council_min_call_in_signatories_positive", sql`min_call_in_signatories >= 1`)
    .addCheckConstraint("council_key_decision_threshold_non_negative", sql`key_decision_threshold >= 0`)
    .execute();

  // Days the council's offices are closed besides weekends and bank holidays (e.g. between Christmas and New
  // Year): they do not count as working days for call-in.
  await db.schema
    .createTable("council_non_working_day")
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id").onDelete("cascade"))
    .addColumn("day", "date", (col) => col.notNull())
    .addColumn("description", "text", emptyText)
    .addColumn("created_at", "timestamptz", now)
    .addPrimaryKeyConstraint("council_non_working_day_pkey", ["council_id", "day"])
    .execute();

  await db.schema
    .createTable("body")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("kind", "text", (col) => col.notNull())
    // Overview and scrutiny: where calls-in go.
    .addColumn("scrutiny", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("body_council_name_unique", ["council_id", "name"])
    .addCheckConstraint("body_kind_check", inList("kind", BODY_KINDS))
    .addCheckConstraint("body_name_present", sql`btrim(name) <> ''`)
    .execute();

  await db.schema
    .createTable("person")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("ward", "text")
    .addColumn("party", "text")
    // Officers' posts, e.g. "Director of Finance"; cabinet members' portfolios.
    .addColumn("job_title", "text")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("person_role_check", inList("role", PERSON_ROLES))
    .addCheckConstraint("person_name_present", sql`btrim(name) <> ''`)
    .addCheckConstraint(
      "person_officer_has_no_ward_or_party",
      sql`role = 'councillor' or (ward is null and party is null)`,
    )
    .execute();
  await db.schema
    .createIndex("person_council_name_idx")
    .on("person")
    .columns(["council_id", "name"])
    .execute();

  // Who sits on which body, and as what: call-in rules name the chair and members of scrutiny.
  await db.schema
    .createTable("body_membership")
    .addColumn("id", "integer", identity)
    .addColumn("body_id", "integer", (col) => col.notNull().references("body.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (col) => col.notNull().references("person.id").onDelete("cascade"))
    .addColumn("role", "text", (col) => col.notNull().defaultTo("member"))
    .addColumn("started_on", "date")
    .addColumn("ended_on", "date")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("body_membership_role_check", inList("role", MEMBERSHIP_ROLES))
    .addCheckConstraint(
      "body_membership_period",
      sql`ended_on is null or started_on is null or ended_on >= started_on`,
    )
    .execute();
  await db.schema.createIndex("body_membership_body_idx").on("body_membership").column("body_id").execute();
  await db.schema
    .createIndex("body_membership_person_idx")
    .on("body_membership")
    .column("person_id")
    .execute();

  // --- Meetings and agenda items -------------------------------------------------------------------------------

  await db.schema
    .createTable("meeting")
    .addColumn("id", "integer", identity)
    .addColumn("body_id", "integer", (col) => col.notNull().references("body.id"))
    .addColumn("date", "date", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull().defaultTo("scheduled"))
    .addColumn("location", "text")
    .addColumn("source_url", "text")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("meeting_status_check", inList("status", MEETING_STATUSES))
    .execute();
  await db.schema.createIndex("meeting_body_date_idx").on("meeting").columns(["body_id", "date"]).execute();

  await db.schema
    .createTable("agenda_item")
    .addColumn("id", "integer", identity)
    .addColumn("meeting_id", "integer", (col) => col.notNull().references("meeting.id").onDelete("cascade"))
    // Order on the agenda, from 1.
    .addColumn("position", "integer", (col) => col.notNull())
    // As printed: "5", "CAB/41/25".
    .addColumn("number", "text")
    .addColumn("title", "text", (col) => col.notNull())
    // Schedule 12A paragraph when the item is considered in private.
    .addColumn("exempt_paragraph", "smallint")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("agenda_item_meeting_position_unique", ["meeting_id", "position"])
    .addCheckConstraint("agenda_item_position_positive", sql`position >= 1`)
    .addCheckConstraint("agenda_item_exempt_paragraph_range", sql`exempt_paragraph between 1 and 7`)
    .execute();

  // --- Original documents --------------------------------------------------------------------------------------

  // Kept byte for byte. sha256 and size are computed by the database from the bytes, so they cannot disagree.
  await db.schema
    .createTable("source_document")
    .addColumn("id", "integer", identity)
    .addColumn("bytes", "bytea", (col) => col.notNull())
    .addColumn("sha256", "text", (col) =>
      col
        .notNull()
        .unique()
        .generatedAlwaysAs(sql`encode(sha256(bytes), 'hex')`)
        .stored(),
    )
    .addColumn("size", "integer", (col) =>
      col
        .notNull()
        .generatedAlwaysAs(sql`octet_length(bytes)`)
        .stored(),
    )
    .addColumn("media_type", "text", (col) => col.notNull())
    .addColumn("file_name", "text", (col) => col.notNull())
    .addColumn("source_url", "text")
    .addColumn("imported_at", "timestamptz", now)
    .addColumn("imported_by", "text")
    .addCheckConstraint(
      "source_document_media_type_format",
      sql`media_type ~ '^[a-z0-9.+-]+/[a-zA-Z0-9.+-]+'`,
    )
    .execute();

  // --- Decisions -----------------------------------------------------------------------------------------------

  await db.schema
    .createTable("decision")
    .addColumn("id", "integer", identity)
    .addColumn("council_id", "integer", (col) => col.notNull().references("council.id"))
    .addColumn("body_id", "integer", (col) => col.notNull().references("body.id"))
    .addColumn("meeting_id", "integer", (col) => col.references("meeting.id"))
    .addColumn("agenda_item_id", "integer", (col) => col.references("agenda_item.id"))
    // The council's own identifier, e.g. "D080067" or "CAB/41/25".
    .addColumn("record_id", "text")
    // The fields of the decision record (src/domain/decision-record.ts), as of the current version.
    .addColumn("document_type", "text", (col) => col.notNull())
    .addColumn("meeting_date", "date", (col) => col.notNull())
    .addColumn("title", "text", (col) => col.notNull())
    .addColumn("record", "text", emptyText)
    .addColumn("outcomes", "jsonb", (col) => col.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn("reasons", "text", emptyText)
    .addColumn("alternatives", "text", emptyText)
    .addColumn("conflicts_of_interest", "text", emptyText)
    .addColumn("dispensations", "text", emptyText)
    .addColumn("call_in_text", "text", emptyText)
    .addColumn("call_in_deadline", "date")
    .addColumn("signed_by", "text")
    .addColumn("published_on", "date")
    // Lifecycle. Whether a call-in period is running is derived from dates and call_in_request, not stored.
    .addColumn("status", "text", (col) => col.notNull().defaultTo("draft"))
    .addColumn("key_decision", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("exempt_paragraph", "smallint")
    .addColumn("urgent", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("urgency_reason", "text")
    // Who agreed that the decision could not wait (the scrutiny chair, failing them the council chair).
    .addColumn("urgency_chair_consent", "text")
    .addColumn("not_subject_to_call_in", "boolean", (col) => col.notNull().defaultTo(false))
    // The deadline the council's call-in rule gives, and whether the printed one differs from it.
    .addColumn("expected_call_in_deadline", "date")
    .addColumn("deadline_mismatch", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("scrutiny_outcome", "text")
    .addColumn("scrutiny_outcome_on", "date")
    // When the decision was put into effect; a fact recorded once, after the call-in period allows it.
    .addColumn("implemented_at", "timestamptz")
    .addColumn("current_version", "integer", (col) => col.notNull().defaultTo(1))
    // Full-text search: title (A), outcome text and items (B), the record and reasons (C).
    .addColumn("search", sql`tsvector`, (col) =>
      col
        .notNull()
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english'::regconfig, title), 'A')
            || setweight(to_tsvector('english'::regconfig,
                 jsonb_path_query_array(outcomes, '$[*].text') || jsonb_path_query_array(outcomes, '$[*].items[*]')), 'B')
            || setweight(to_tsvector('english'::regconfig, record || ' ' || reasons), 'C')`,
        )
        .stored(),
    )
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addUniqueConstraint("decision_council_record_id_unique", ["council_id", "record_id"])
    .addCheckConstraint("decision_status_check", inList("status", DECISION_STATUSES))
    .addCheckConstraint("decision_title_present", sql`btrim(title) <> ''`)
    .addCheckConstraint("decision_record_id_present", sql`record_id is null or btrim(record_id) <> ''`)
    .addCheckConstraint("decision_outcomes_array", sql`jsonb_typeof(outcomes) = 'array'`)
    .addCheckConstraint(
      "decision_published_on_when_published",
      sql`status = 'draft' or published_on is not null`,
    )
    .addCheckConstraint("decision_exempt_paragraph_range", sql`exempt_paragraph between 1 and 7`)
    .addCheckConstraint(
      "decision_urgency_explained",
      sql`not urgent or status = 'draft' or (btrim(coalesce(urgency_reason, '')) <> '' and btrim(coalesce(urgency_chair_consent, '')) <> '')`,
    )
    .addCheckConstraint("decision_scrutiny_outcome_check", inList("scrutiny_outcome", SCRUTINY_OUTCOMES))
    .addCheckConstraint("decision_current_version_positive", sql`current_version >= 1`)
    .execute();
  await db.schema
    .createIndex("decision_council_meeting_date_idx")
    .on("decision")
    .columns(["council_id", "meeting_date"])
    .execute();
  await db.schema
    .createIndex("decision_council_published_on_idx")
    .on("decision")
    .columns(["council_id", "published_on"])
    .execute();
  await db.schema
    .createIndex("decision_council_call_in_deadline_idx")
    .on("decision")
    .columns(["council_id", "call_in_deadline"])
    .execute();
  await db.schema.createIndex("decision_body_idx").on("decision").column("body_id").execute();
  await db.schema.createIndex("decision_meeting_idx").on("decision").column("meeting_id").execute();
  await db.schema.createIndex("decision_agenda_item_idx").on("decision").column("agenda_item_id").execute();
  await db.schema.createIndex("decision_search_idx").on("decision").using("gin").column("search").execute();
  await sql`
    create trigger decision_forbid_published_delete before delete on decision
    for each row execute function resolved_forbid_published_decision_delete()`.execute(db);

  // Every version of the record as published or corrected, never changed afterwards.
  await db.schema
    .createTable("decision_version")
    .addColumn("id", "integer", identity)
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("version", "integer", (col) => col.notNull())
    // The whole decision record (interchange format) of this version.
    .addColumn("record", "jsonb", (col) => col.notNull())
    .addColumn("reason", "text")
    .addColumn("source_document_id", "integer", (col) => col.references("source_document.id"))
    .addColumn("created_at", "timestamptz", now)
    .addColumn("created_by", "text")
    .addUniqueConstraint("decision_version_decision_version_unique", ["decision_id", "version"])
    .addCheckConstraint("decision_version_version_positive", sql`version >= 1`)
    .addCheckConstraint("decision_version_record_object", sql`jsonb_typeof(record) = 'object'`)
    .addCheckConstraint(
      "decision_version_correction_has_reason",
      sql`version = 1 or btrim(coalesce(reason, '')) <> ''`,
    )
    .execute();
  await db.schema
    .createIndex("decision_version_source_document_idx")
    .on("decision_version")
    .column("source_document_id")
    .execute();
  await sql`
    create trigger decision_version_immutable before update on decision_version
    for each row execute function resolved_reject_change()`.execute(db);

  // The decision's current version must exist. Deferred: insert the decision and its version in one transaction.
  await db.schema
    .alterTable("decision")
    .addForeignKeyConstraint("decision_current_version_fk", ["id", "current_version"], "decision_version", [
      "decision_id",
      "version",
    ])
    .deferrable()
    .initiallyDeferred()
    .execute();

  // --- Interests, dispensations, calls-in -------------------------------------------------------------------

  await db.schema
    .createTable("declaration_of_interest")
    .addColumn("id", "integer", identity)
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("person_id", "integer", (col) => col.references("person.id"))
    // As written in the record, whether or not the person is known.
    .addColumn("person_name", "text", (col) => col.notNull())
    .addColumn("category", "text", (col) => col.notNull().defaultTo("other"))
    // What the interest is, e.g. "owns land adjoining the site".
    .addColumn("nature", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("declaration_of_interest_category_check", inList("category", INTEREST_CATEGORIES))
    .addCheckConstraint("declaration_of_interest_person_name_present", sql`btrim(person_name) <> ''`)
    .execute();
  await db.schema
    .createIndex("declaration_of_interest_decision_idx")
    .on("declaration_of_interest")
    .column("decision_id")
    .execute();
  await db.schema
    .createIndex("declaration_of_interest_person_idx")
    .on("declaration_of_interest")
    .column("person_id")
    .execute();

  await db.schema
    .createTable("dispensation")
    .addColumn("id", "integer", identity)
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("declaration_id", "integer", (col) =>
      col.references("declaration_of_interest.id").onDelete("set null"),
    )
    .addColumn("person_id", "integer", (col) => col.references("person.id"))
    .addColumn("person_name", "text", (col) => col.notNull())
    // Usually the head of paid service, or the standards committee.
    .addColumn("granted_by", "text", (col) => col.notNull())
    .addColumn("granted_on", "date")
    .addColumn("expires_on", "date")
    // What the dispensation allows, e.g. "to speak and vote".
    .addColumn("scope", "text", emptyText)
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("dispensation_person_name_present", sql`btrim(person_name) <> ''`)
    .addCheckConstraint(
      "dispensation_period",
      sql`expires_on is null or granted_on is null or expires_on >= granted_on`,
    )
    .execute();
  await db.schema.createIndex("dispensation_decision_idx").on("dispensation").column("decision_id").execute();
  await db.schema
    .createIndex("dispensation_declaration_idx")
    .on("dispensation")
    .column("declaration_id")
    .execute();

  await db.schema
    .createTable("call_in_request")
    .addColumn("id", "integer", identity)
    .addColumn("decision_id", "integer", (col) => col.notNull().references("decision.id").onDelete("cascade"))
    .addColumn("received_at", "timestamptz", (col) => col.notNull())
    .addColumn("grounds", "text", (col) => col.notNull())
    // Null until assessed against the council's rule.
    .addColumn("valid", "boolean")
    .addColumn("invalid_reason", "text")
    .addColumn("assessed_at", "timestamptz")
    .addColumn("assessed_by", "text")
    .addColumn("withdrawn_at", "timestamptz")
    .addColumn("created_at", "timestamptz", now)
    .addColumn("updated_at", "timestamptz", now)
    .addCheckConstraint("call_in_request_grounds_present", sql`btrim(grounds) <> ''`)
    .addCheckConstraint(
      "call_in_request_invalid_has_reason",
      sql`valid is distinct from false or btrim(coalesce(invalid_reason, '')) <> ''`,
    )
    .execute();
  await db.schema
    .createIndex("call_in_request_decision_idx")
    .on("call_in_request")
    .column("decision_id")
    .execute();

  await db.schema
    .createTable("call_in_signatory")
    .addColumn("id", "integer", identity)
    .addColumn("call_in_request_id", "integer", (col) =>
      col.notNull().references("call_in_request.id").onDelete("cascade"),
    )
    // Order of signing; 1 is the member who made the request.
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("person_id", "integer", (col) => col.references("person.id"))
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", now)
    .addUniqueConstraint("call_in_signatory_position_unique", ["call_in_request_id", "position"])
    .addUniqueConstraint("call_in_signatory_person_unique", ["call_in_request_id", "person_id"])
    .addCheckConstraint("call_in_signatory_position_positive", sql`position >= 1`)
    .addCheckConstraint("call_in_signatory_name_present", sql`btrim(name) <> ''`)
    .execute();
  // The same name twice on one request counts once: refuse it.
  await sql`create unique index call_in_signatory_name_unique on call_in_signatory (call_in_request_id, lower(btrim(name)))`.execute(
    db,
  );
  await db.schema
    .createIndex("call_in_signatory_person_idx")
    .on("call_in_signatory")
    .column("person_id")
    .execute();

  // --- Audit log -----------------------------------------------------------------------------------------------

  // Append-only: UPDATE and DELETE are rejected by a trigger (TRUNCATE is not, so tests can empty it). No foreign
  // keys, so entries outlive what they describe.
  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("at", "timestamptz", now)
    // Who: a user name, "cli:<os user>", "system".
    .addColumn("actor", "text", (col) => col.notNull())
    // What, e.g. "decision.publish", "decision.correct", "call-in.receive".
    .addColumn("action", "text", (col) => col.notNull())
    // On what: a table name and its row id (as text).
    .addColumn("entity", "text", (col) => col.notNull())
    .addColumn("entity_id", "text")
    .addColumn("council_id", "integer")
    .addColumn("details", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addCheckConstraint("audit_log_actor_present", sql`btrim(actor) <> ''`)
    .addCheckConstraint("audit_log_action_present", sql`btrim(action) <> ''`)
    .addCheckConstraint("audit_log_details_object", sql`jsonb_typeof(details) = 'object'`)
    .execute();
  await db.schema
    .createIndex("audit_log_entity_idx")
    .on("audit_log")
    .columns(["entity", "entity_id", "at"])
    .execute();
  await db.schema
    .createIndex("audit_log_council_at_idx")
    .on("audit_log")
    .columns(["council_id", "at"])
    .execute();
  await db.schema.createIndex("audit_log_at_idx").on("audit_log").column("at").execute();
  await sql`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function resolved_reject_change()`.execute(db);

  for (const table of MUTABLE_TABLES) {
    await sql`
      create trigger ${sql.id(`${table}_set_updated_at`)} before update on ${sql.table(table)}
      for each row execute function resolved_set_updated_at()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const tables = [
    "audit_log",
    "call_in_signatory",
    "call_in_request",
    "dispensation",
    "declaration_of_interest",
    "decision_version",
    "decision",
    "source_document",
    "agenda_item",
    "meeting",
    "body_membership",
    "person",
    "body",
    "council_non_working_day",
    "council",
  ];
  // decision and decision_version reference each other: drop the cycle first.
  await db.schema.alterTable("decision").dropConstraint("decision_current_version_fk").execute();
  for (const table of tables) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function resolved_forbid_published_decision_delete()`.execute(db);
  await sql`drop function resolved_reject_change()`.execute(db);
  await sql`drop function resolved_set_updated_at()`.execute(db);
}
