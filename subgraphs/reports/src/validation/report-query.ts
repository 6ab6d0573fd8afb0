import { errors } from "@asky/runtime";

/** A report covers at most a year (and a day, for leap years): hostile ranges stay bounded. */
export const MAX_REPORT_DAYS = 366;
/** Groups in one report: three dimensions already make a large table. */
export const MAX_GROUPS = 3;

const DAY_MS = 86_400_000;

export interface ReportQuery<TGroup extends string> {
  readonly from: Date;
  readonly to: Date;
  /** Distinct, in the order asked. */
  readonly groupBy: readonly TGroup[];
  /** A ward asked for, or null. */
  readonly ward: string | null;
}

function instant(value: Date | string, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw errors.badUserInput(`${field} is not a date-time`, { field, reason: "INVALID_RANGE" });
  }
  return date;
}

/** [from, to): forward and at most MAX_REPORT_DAYS long; at most MAX_GROUPS distinct groups. */
export function checkReportQuery<TGroup extends string>(args: {
  from: Date | string;
  to: Date | string;
  groupBy: readonly TGroup[];
  ward?: string | null;
}): ReportQuery<TGroup> {
  const from = instant(args.from, "from");
  const to = instant(args.to, "to");
  if (!(from.getTime() < to.getTime())) {
    throw errors.badUserInput("from must be before to", { field: "to", reason: "INVALID_RANGE" });
  }
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS) {
    throw errors.badUserInput(`A report covers at most ${MAX_REPORT_DAYS} days`, {
      field: "to",
      reason: "RANGE_TOO_LONG",
      limit: MAX_REPORT_DAYS,
    });
  }
  const groupBy = [...new Set(args.groupBy)];
  if (groupBy.length > MAX_GROUPS) {
    throw errors.badUserInput(`A report is grouped by at most ${MAX_GROUPS} values`, {
      field: "groupBy",
      reason: "TOO_MANY_GROUPS",
      limit: MAX_GROUPS,
    });
  }
  const ward = args.ward?.trim() ? args.ward.trim().toUpperCase() : null;
  return { from, to, groupBy, ward };
}
