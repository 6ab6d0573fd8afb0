CREATE TABLE "dispensers"."controlled_book_closure_balances" (
	"closure_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"balance" integer NOT NULL,
	CONSTRAINT "controlled_book_closure_balances_pkey" PRIMARY KEY("closure_id","item_id"),
	CONSTRAINT "controlled_book_closure_balances_balance_check" CHECK ("dispensers"."controlled_book_closure_balances"."balance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dispensers"."controlled_book_closures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"control_list" "dispensers"."control_list" NOT NULL,
	"month" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"closed_by" uuid NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "controlled_book_closures_control_list_month_key" UNIQUE("control_list","month"),
	CONSTRAINT "controlled_book_closures_month_format_check" CHECK ("dispensers"."controlled_book_closures"."month" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
	CONSTRAINT "controlled_book_closures_bounds_check" CHECK ("dispensers"."controlled_book_closures"."starts_at" < "dispensers"."controlled_book_closures"."ends_at")
);
--> statement-breakpoint
ALTER TABLE "dispensers"."stock_movements" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "dispensers"."stock_movements_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "dispensers"."controlled_book_closure_balances" ADD CONSTRAINT "controlled_book_closure_balances_closure_id_controlled_book_closures_id_fk" FOREIGN KEY ("closure_id") REFERENCES "dispensers"."controlled_book_closures"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispensers"."controlled_book_closure_balances" ADD CONSTRAINT "controlled_book_closure_balances_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "dispensers"."catalog_items"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
-- A closed month of a list's controlled substances book is frozen for every writer, including
-- those that forget to check: a ledger row of an item of that list whose time falls in a closed
-- month, or before one (the next month opens with the closure's balances, so what they rest on
-- cannot change), is refused (SQLSTATE AS344, DETAIL '<list> <month>'), as are edits and
-- deletions of one.
-- Writers take the list's advisory lock shared and closing takes it exclusive, so a movement
-- that commits while the month is being closed is either in the closing balances or refused.
CREATE FUNCTION "dispensers"."refuse_closed_book_period"(level_id uuid, moved_at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  list "dispensers"."control_list";
  closed_month text;
BEGIN
  SELECT c."control_list" INTO list
    FROM "dispensers"."stock_levels" l JOIN "dispensers"."catalog_items" c ON c."id" = l."item_id"
   WHERE l."id" = level_id;
  IF list IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('asky.controlled_book.' || list::text));
  -- The closed month the row falls in or, before it, the first closed month after the row: a
  -- closure carries its balances forward, so everything before its end is frozen with it.
  SELECT b."month" INTO closed_month FROM "dispensers"."controlled_book_closures" b
   WHERE b."control_list" = list AND moved_at < b."ends_at"
   ORDER BY b."ends_at" LIMIT 1;
  IF closed_month IS NOT NULL THEN
    RAISE EXCEPTION 'The % book of % is closed', list, closed_month
      USING ERRCODE = 'AS344', DETAIL = list::text || ' ' || closed_month;
  END IF;
END $$;--> statement-breakpoint
CREATE FUNCTION "dispensers"."stock_movements_closed_period_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM "dispensers"."refuse_closed_book_period"(OLD."stock_level_id", OLD."at");
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM "dispensers"."refuse_closed_book_period"(NEW."stock_level_id", NEW."at");
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;--> statement-breakpoint
CREATE TRIGGER "stock_movements_closed_period_guard" BEFORE INSERT OR UPDATE OR DELETE ON "dispensers"."stock_movements"
  FOR EACH ROW EXECUTE FUNCTION "dispensers"."stock_movements_closed_period_guard"();--> statement-breakpoint
-- The book of a list is read through the items' current list, so moving an item that has ledger
-- rows up to the end of a closed month of its old or new list would rewrite that closed book.
CREATE FUNCTION "dispensers"."catalog_items_closed_period_guard"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  closed record;
BEGIN
  IF OLD."control_list" IS NOT NULL THEN
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('asky.controlled_book.' || OLD."control_list"::text));
  END IF;
  IF NEW."control_list" IS NOT NULL THEN
    PERFORM pg_catalog.pg_advisory_xact_lock_shared(pg_catalog.hashtext('asky.controlled_book.' || NEW."control_list"::text));
  END IF;
  SELECT b."control_list", b."month" INTO closed FROM "dispensers"."controlled_book_closures" b
   WHERE b."control_list" IN (OLD."control_list", NEW."control_list")
     AND EXISTS (
       SELECT 1 FROM "dispensers"."stock_movements" m
         JOIN "dispensers"."stock_levels" l ON l."id" = m."stock_level_id"
        WHERE l."item_id" = NEW."id" AND m."at" < b."ends_at")
   ORDER BY b."ends_at" DESC LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'The % book of % is closed and holds this item', closed."control_list", closed."month"
      USING ERRCODE = 'AS344', DETAIL = closed."control_list"::text || ' ' || closed."month";
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "catalog_items_closed_period_guard" BEFORE UPDATE OF "control_list" ON "dispensers"."catalog_items"
  FOR EACH ROW WHEN (OLD."control_list" IS DISTINCT FROM NEW."control_list")
  EXECUTE FUNCTION "dispensers"."catalog_items_closed_period_guard"();
