CREATE TABLE "addresses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "addresses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"raw_text" text NOT NULL,
	"components" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"delivery_line" text,
	"last_line" text,
	"state" text,
	"zip_code" text,
	"building_key" text,
	"delivery_point" text,
	"has_unit" boolean DEFAULT false NOT NULL,
	"mail_returned" boolean DEFAULT false NOT NULL,
	"own_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"verdict" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"judged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"object_type" text,
	"object_id" text,
	"child_id" bigint,
	"purpose" text,
	"result" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_tokens_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"label" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"csrf_token" text NOT NULL,
	"user_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "users_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"field_office_code" text,
	"region_offices" text[],
	"disabled" boolean DEFAULT false NOT NULL,
	"failed_sign_ins" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "child_search" (
	"child_id" bigint PRIMARY KEY NOT NULL,
	"a_number" text,
	"orr_id" text,
	"terms" text[] NOT NULL,
	"field_office_code" text,
	"protected_1367" boolean DEFAULT false NOT NULL,
	"inputs" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "child_state" (
	"child_id" bigint PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"sponsor_id" bigint,
	"address_id" bigint,
	"address_verdict" text,
	"release_address_id" bigint,
	"release_address_verdict" text,
	"transferred_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"nta_issued_at" timestamp with time zone,
	"nta_served_at" timestamp with time zone,
	"nta_filed_at" timestamp with time zone,
	"next_hearing_at" timestamp with time zone,
	"failed_to_appear_count" smallint DEFAULT 0 NOT NULL,
	"last_failed_to_appear_at" timestamp with time zone,
	"last_hearing_attended_at" timestamp with time zone,
	"has_attorney" boolean DEFAULT false NOT NULL,
	"last_safety_call_at" timestamp with time zone,
	"last_safety_call_outcome" text,
	"last_verified_contact_at" timestamp with time zone,
	"whereabouts" text DEFAULT 'unknown' NOT NULL,
	"runaway" boolean DEFAULT false NOT NULL,
	"aged_out" boolean DEFAULT false NOT NULL,
	"dob" date,
	"runaway_reported_at" timestamp with time zone,
	"untriaged_tips" smallint DEFAULT 0 NOT NULL,
	"protected_1367" boolean DEFAULT false NOT NULL,
	"risk_flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"field_office_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "child_state_whereabouts" CHECK ("child_state"."whereabouts" in ('verified', 'unverified', 'unknown'))
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "children_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"given_names" text,
	"surnames" text,
	"dob" date,
	"sex" text,
	"country" text,
	"a_number" text,
	"orr_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"child_id" bigint NOT NULL,
	"type" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"source_record_id" bigint,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_type_known" CHECK ("events"."type" in ('apprehended', 'transferred_to_orr', 'released_to_sponsor', 'safety_call', 'runaway_reported', 'significant_incident', 'nta_issued', 'nta_served', 'nta_filed', 'hearing_scheduled', 'hearing_attended', 'failed_to_appear', 'in_absentia_order', 'venue_changed', 'address_changed', 'relief_granted', 'case_closed', 'removed', 'aged_out', 'tip_received', 'contact_verified', 'locate_attempt', 'hearing_continued', 'attorney_of_record', 'notice_returned', 'mail_returned', 'protection_reported', 'welfare_check', 'address_confirmed', 'tip_triaged'))
);
--> statement-breakpoint
CREATE TABLE "sponsors" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sponsors_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"relationship" text,
	"category" smallint,
	"phone" text,
	"phone_key" text,
	"address_id" bigint
);
--> statement-breakpoint
CREATE TABLE "identity_links" (
	"source_record_id" bigint PRIMARY KEY NOT NULL,
	"child_id" bigint NOT NULL,
	"identity_id" bigint,
	"method" text NOT NULL,
	"match_weight" double precision,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decided_by" text DEFAULT 'system' NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_moves" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "identity_moves_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"identity_id" bigint NOT NULL,
	"child_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "linkage_models" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "linkage_models_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"estimated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"identities" integer NOT NULL,
	"model" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_identities" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "person_identities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"signature" text collate "C" NOT NULL,
	"child_id" bigint NOT NULL,
	"first_record_id" bigint NOT NULL,
	"given" text,
	"surnames" text,
	"dob" text,
	"sex" text,
	"country" text,
	"a_number" text,
	"orr_id" text
);
--> statement-breakpoint
CREATE TABLE "review_pairs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "review_pairs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"left_identity_id" bigint NOT NULL,
	"right_identity_id" bigint NOT NULL,
	"left_record_id" bigint NOT NULL,
	"right_record_id" bigint NOT NULL,
	"match_weight" double precision NOT NULL,
	"match_probability" double precision NOT NULL,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "review_pairs_ordered" CHECK ("review_pairs"."left_identity_id" < "review_pairs"."right_identity_id")
);
--> statement-breakpoint
CREATE TABLE "ingest_batches" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ingest_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"format_version" text NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"accepted" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"checkpoint_line" integer DEFAULT 0 NOT NULL,
	"events_through_record" bigint DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ingest_pending_addresses" (
	"address_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_pending_children" (
	"child_id" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rejections" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rejections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" bigint NOT NULL,
	"line" integer NOT NULL,
	"field" text,
	"reason" text NOT NULL,
	"raw" text NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_records" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "source_records_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" bigint NOT NULL,
	"source" text NOT NULL,
	"kind" text NOT NULL,
	"source_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"content_hash" text NOT NULL,
	"line" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "field_office_areas" (
	"state" text NOT NULL,
	"zip3" text NOT NULL,
	"office_code" text NOT NULL,
	CONSTRAINT "field_office_areas_state_zip3_pk" PRIMARY KEY("state","zip3")
);
--> statement-breakpoint
CREATE TABLE "field_offices" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alerts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"rule" text NOT NULL,
	"child_id" bigint NOT NULL,
	"severity" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "open_alert_counts" (
	"rule" text PRIMARY KEY NOT NULL,
	"open" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tasks_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alert_id" bigint,
	"child_id" bigint NOT NULL,
	"office_code" text,
	"agency" text DEFAULT 'ice' NOT NULL,
	"kind" text NOT NULL,
	"severity" text DEFAULT 'medium' NOT NULL,
	"assignee_id" bigint,
	"due_at" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"outcome" text,
	"outcome_note" text,
	"assigned_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"done_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tip_candidates" (
	"tip" text NOT NULL,
	"child_id" bigint NOT NULL,
	"evidence" text[] NOT NULL,
	CONSTRAINT "tip_candidates_tip_child_id_pk" PRIMARY KEY("tip","child_id")
);
--> statement-breakpoint
CREATE TABLE "tips" (
	"tip" text PRIMARY KEY NOT NULL,
	"received_on" date,
	"name" text,
	"age" integer,
	"town" text,
	"phone" text,
	"decided" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tips_pending" (
	"record_id" bigint PRIMARY KEY NOT NULL,
	"tip" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_child_figures" (
	"child_id" bigint PRIMARY KEY NOT NULL,
	"office" text NOT NULL,
	"state" text NOT NULL,
	"figures" integer NOT NULL,
	"stale_since" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "report_child_places" (
	"child_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"place" text NOT NULL,
	CONSTRAINT "report_child_places_child_id_kind_pk" PRIMARY KEY("child_id","kind")
);
--> statement-breakpoint
CREATE TABLE "report_event_months" (
	"month" date NOT NULL,
	"type" text NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "report_event_months_month_type_pk" PRIMARY KEY("month","type")
);
--> statement-breakpoint
CREATE TABLE "report_figure_counts" (
	"office" text NOT NULL,
	"state" text NOT NULL,
	"figure" text NOT NULL,
	"children" integer NOT NULL,
	CONSTRAINT "report_figure_counts_office_state_figure_pk" PRIMARY KEY("office","state","figure")
);
--> statement-breakpoint
CREATE TABLE "report_place_counts" (
	"kind" text NOT NULL,
	"place" text NOT NULL,
	"children" integer NOT NULL,
	CONSTRAINT "report_place_counts_kind_place_pk" PRIMARY KEY("kind","place")
);
--> statement-breakpoint
CREATE TABLE "report_stale_months" (
	"office" text NOT NULL,
	"state" text NOT NULL,
	"month" date NOT NULL,
	"children" integer NOT NULL,
	CONSTRAINT "report_stale_months_office_state_month_pk" PRIMARY KEY("office","state","month")
);
--> statement-breakpoint
CREATE TABLE "report_summary_version" (
	"version" text PRIMARY KEY NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "report_task_months" (
	"office" text NOT NULL,
	"month" date NOT NULL,
	"tasks" integer NOT NULL,
	CONSTRAINT "report_task_months_office_month_pk" PRIMARY KEY("office","month")
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_address_id_addresses_id_fk" FOREIGN KEY ("address_id") REFERENCES "public"."addresses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rejections" ADD CONSTRAINT "rejections_batch_id_ingest_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."ingest_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_records" ADD CONSTRAINT "source_records_batch_id_ingest_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."ingest_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_office_areas" ADD CONSTRAINT "field_office_areas_office_code_field_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."field_offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_alert_id_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."alerts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_office_code_field_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."field_offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tip_candidates" ADD CONSTRAINT "tip_candidates_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "addresses_raw_text" ON "addresses" USING btree ("raw_text");--> statement-breakpoint
CREATE INDEX "addresses_building" ON "addresses" USING btree ("building_key");--> statement-breakpoint
CREATE INDEX "addresses_delivery_point" ON "addresses" USING btree ("delivery_point");--> statement-breakpoint
CREATE INDEX "audit_log_actor" ON "audit_log" USING btree ("actor","seq");--> statement-breakpoint
CREATE INDEX "audit_log_child" ON "audit_log" USING btree ("child_id","seq");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "child_search_a_number" ON "child_search" USING btree ("a_number");--> statement-breakpoint
CREATE INDEX "child_search_orr_id" ON "child_search" USING btree ("orr_id");--> statement-breakpoint
CREATE INDEX "child_search_terms" ON "child_search" USING gin ("terms") WITH (gin_pending_list_limit=128);--> statement-breakpoint
CREATE INDEX "child_state_office" ON "child_state" USING btree ("field_office_code","status");--> statement-breakpoint
CREATE INDEX "child_state_sponsor" ON "child_state" USING btree ("sponsor_id");--> statement-breakpoint
CREATE INDEX "child_state_address" ON "child_state" USING btree ("address_id");--> statement-breakpoint
CREATE INDEX "child_state_release_address" ON "child_state" USING btree ("release_address_id");--> statement-breakpoint
CREATE INDEX "children_a_number" ON "children" USING btree ("a_number");--> statement-breakpoint
CREATE INDEX "children_orr_id" ON "children" USING btree ("orr_id");--> statement-breakpoint
CREATE INDEX "children_first_name" ON "children" USING btree (upper(translate(split_part(btrim(given_names), ' ', 1), 'áéíóúüñàèìòùçâêîôûãõÁÉÍÓÚÜÑÀÈÌÒÙÇÂÊÎÔÛÃÕ', 'aeiouunaeioucaeiouaoAEIOUUNAEIOUCAEIOUAO')));--> statement-breakpoint
CREATE INDEX "events_child" ON "events" USING btree ("child_id","occurred_at");--> statement-breakpoint
CREATE INDEX "events_type" ON "events" USING btree ("type","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sponsors_phone_key" ON "sponsors" USING btree ("phone_key");--> statement-breakpoint
CREATE INDEX "identity_links_child" ON "identity_links" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "identity_links_identity" ON "identity_links" USING btree ("identity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "person_identities_signature" ON "person_identities" USING btree ("signature");--> statement-breakpoint
CREATE INDEX "person_identities_child" ON "person_identities" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_pairs_identities" ON "review_pairs" USING btree ("left_identity_id","right_identity_id");--> statement-breakpoint
CREATE INDEX "review_pairs_status" ON "review_pairs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "review_pairs_right" ON "review_pairs" USING btree ("right_identity_id");--> statement-breakpoint
CREATE INDEX "rejections_batch" ON "rejections" USING btree ("batch_id","line");--> statement-breakpoint
CREATE UNIQUE INDEX "source_records_key_version" ON "source_records" USING btree ("source","kind","source_key","version");--> statement-breakpoint
CREATE INDEX "source_records_batch" ON "source_records" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_rule_child" ON "alerts" USING btree ("rule","child_id") WHERE "alerts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "alerts_child" ON "alerts" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "tasks_queue" ON "tasks" USING btree ("office_code","state","due_at");--> statement-breakpoint
CREATE INDEX "tasks_alert" ON "tasks" USING btree ("alert_id");--> statement-breakpoint
CREATE INDEX "tasks_child" ON "tasks" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "tasks_assignee" ON "tasks" USING btree ("assignee_id") WHERE "tasks"."state" <> 'done';--> statement-breakpoint
CREATE INDEX "tasks_open_due" ON "tasks" USING btree ("due_at","office_code") WHERE "tasks"."state" in ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "tip_candidates_child" ON "tip_candidates" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "tips_name" ON "tips" USING btree ("name") WHERE not "tips"."decided";--> statement-breakpoint
CREATE INDEX "report_child_figures_stale" ON "report_child_figures" USING btree ("stale_since","office","state");--> statement-breakpoint
CREATE INDEX "report_place_counts_crowded" ON "report_place_counts" USING btree ((-"children"),"kind","place") WHERE "report_place_counts"."children" >= 2;