CREATE TYPE "dispensers"."control_list" AS ENUM('A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5');--> statement-breakpoint
ALTER TABLE "dispensers"."catalog_items" ADD COLUMN "control_list" "dispensers"."control_list";--> statement-breakpoint
-- Controlled medications get the Portaria SVS/MS 344/98 list of their active ingredient, for the
-- substances the demo formulary carries (sources in db/src/seed/data/formulary.ts). Matched on
-- stems, case-insensitively (accented letters spelled both ways): 'fentanil' also finds
-- remifentanila, 'cetamina' dextrocetamina, all on their stem's list.
UPDATE "dispensers"."catalog_items" SET "control_list" = CASE
    WHEN "active_ingredient" ~* '(morfina|fentanil|metadona|petidina|oxicodona)' THEN 'A1'
    WHEN "active_ingredient" ~* '(code[iíÍ]na|tramadol|nalbufina)' THEN 'A2'
    WHEN "active_ingredient" ~* '(midazolam|diazepam|clonazepam|lorazepam|fenobarbital|dexmedetomidina)' THEN 'B1'
    WHEN "active_ingredient" ~* '(fenito[iíÍ]na|cetamina|propofol|haloperidol|clorpromazina)' THEN 'C1'
  END::"dispensers"."control_list"
WHERE "controlled";--> statement-breakpoint
-- Anything else that was controlled stays controlled, on C1: it is the general list ("outras
-- substâncias sujeitas a controle especial"), and no list at all would make a controlled drug
-- uncontrolled (no witness, no book), the one outcome that must not follow from missing data. A
-- pharmacist moves it to its real list with updateMedication.
UPDATE "dispensers"."catalog_items" SET "control_list" = 'C1'
WHERE "controlled" AND "control_list" IS NULL;--> statement-breakpoint
ALTER TABLE "dispensers"."catalog_items" DROP CONSTRAINT "catalog_items_controlled_medication_check";--> statement-breakpoint
-- The flag becomes a stored generated column: derived from the list, never written, so the two
-- cannot disagree, while SQL readers keep their plain boolean.
ALTER TABLE "dispensers"."catalog_items" DROP COLUMN "controlled";--> statement-breakpoint
ALTER TABLE "dispensers"."catalog_items" ADD COLUMN "controlled" boolean GENERATED ALWAYS AS ("control_list" IS NOT NULL) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "dispensers"."catalog_items" ADD CONSTRAINT "catalog_items_control_list_medication_check" CHECK ("dispensers"."catalog_items"."kind" = 'MEDICATION' OR "dispensers"."catalog_items"."control_list" IS NULL);
