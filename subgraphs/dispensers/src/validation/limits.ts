import { WARD_CODE_LENGTH } from "@asky/runtime";

/**
 * How long each text of a cabinet, a catalog item or a stock movement may be. Every string
 * input is trimmed and bounded by @asky/runtime's text rules, so an oversized or blank value is
 * a BAD_USER_INPUT naming the field instead of a database error (or a 1 MB cabinet name).
 */
export const LIMITS = {
  dispenserCode: 40,
  itemCode: 60,
  wardCode: WARD_CODE_LENGTH,
  name: 160,
  floor: 40,
  location: 200,
  unit: 30,
  shortText: 80,
  description: 500,
  note: 500,
  lotNumber: 40,
  qrPayload: 256,
  /** A witness token is an ES256 JWT of well under 1 KB; far more is not one, and is not parsed. */
  witnessToken: 2048,
} as const;
