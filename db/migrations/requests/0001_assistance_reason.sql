ALTER TABLE "requests"."requests" ADD COLUMN "assistance_reason" text;--> statement-breakpoint
-- Existing ASSISTANCE requests: the reason was kept as the text of their creation history
-- entry until this column existed; anything else becomes OTHER (their note says more).
UPDATE "requests"."requests" AS r SET "assistance_reason" = COALESCE(
  (SELECT h."reason_text" FROM "requests"."request_history" AS h
    WHERE h."request_id" = r."id" AND h."from_status" IS NULL
      AND h."reason_text" IN ('DRAWER_JAMMED', 'COUNT_DISCREPANCY', 'DEVICE_OFFLINE', 'OTHER')
    LIMIT 1),
  'OTHER')
WHERE r."kind" = 'ASSISTANCE';--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_assistance_reason_check" CHECK (("requests"."requests"."kind" = 'ASSISTANCE') = ("requests"."requests"."assistance_reason" IS NOT NULL) AND "requests"."requests"."assistance_reason" IN ('DRAWER_JAMMED', 'COUNT_DISCREPANCY', 'DEVICE_OFFLINE', 'OTHER'));
