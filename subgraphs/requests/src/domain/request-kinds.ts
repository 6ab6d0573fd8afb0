import { assertNever, errors } from "@asky/runtime";
import { canSeeWard, type CatalogItemKind, type RequestKind, type Role, type Viewer } from "@asky/contracts";
export type DispenserStatus = "ONLINE" | "OFFLINE" | "MAINTENANCE";

/** What an ASSISTANCE request says is wrong with the cabinet (the GraphQL enum of that name). */
export const assistanceReasons = ["DRAWER_JAMMED", "COUNT_DISCREPANCY", "DEVICE_OFFLINE", "OTHER"] as const;
export type AssistanceReason = (typeof assistanceReasons)[number];

/** What each kind of request carries, who opens it, and what its cabinet must be. */
export interface KindRule {
  /** Roles that may open it by hand (nurses for their own ward only). */
  readonly creators: readonly Role[];
  /** Catalog kinds its items may have; empty when it carries no items. */
  readonly itemKinds: readonly CatalogItemKind[];
  /** ASSISTANCE says what is wrong with the cabinet. */
  readonly needsAssistanceReason: boolean;
  /** Cabinet statuses it may be opened for. */
  readonly dispenserStatuses: readonly DispenserStatus[];
  /** At most one open request of this kind per cabinet. */
  readonly onePerDispenser: boolean;
}

const anyStatus: readonly DispenserStatus[] = ["ONLINE", "OFFLINE", "MAINTENANCE"];

export function kindRule(kind: RequestKind): KindRule {
  switch (kind) {
    // Goods go into the cabinet (or are handed over at it): a cabinet that is down cannot
    // take them, and a nurse should pick another cabinet of her ward or ask for ASSISTANCE.
    case "MEDICATION":
      return {
        creators: ["NURSE", "PHARMACIST", "ADMIN"],
        itemKinds: ["MEDICATION"],
        needsAssistanceReason: false,
        dispenserStatuses: ["ONLINE"],
        onePerDispenser: false,
      };
    case "MATERIAL":
      return {
        creators: ["NURSE", "PHARMACIST", "ADMIN"],
        itemKinds: ["MATERIAL"],
        needsAssistanceReason: false,
        dispenserStatuses: ["ONLINE"],
        onePerDispenser: false,
      };
    // A broken cabinet is exactly when help is needed: any status.
    case "ASSISTANCE":
      return {
        creators: ["NURSE", "PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"],
        itemKinds: [],
        needsAssistanceReason: true,
        dispenserStatuses: anyStatus,
        onePerDispenser: false,
      };
    // Restocking is the pharmacy's job (or the restock loop's); nurses ask for what they need instead.
    case "RESTOCK":
      return {
        creators: ["PHARMACIST", "PHARMACY_TECHNICIAN", "ADMIN"],
        itemKinds: ["MEDICATION", "MATERIAL"],
        needsAssistanceReason: false,
        dispenserStatuses: ["ONLINE"],
        onePerDispenser: true,
      };
    default:
      return assertNever(kind, "request kind");
  }
}

/** FORBIDDEN unless the viewer's role may open this kind of request. */
export function authorizeKind(viewer: Viewer, kind: RequestKind): KindRule {
  const rule = kindRule(kind);
  if (!rule.creators.includes(viewer.role)) {
    throw errors.forbidden(`${kind} requests are opened by ${rule.creators.join(", ")}`);
  }
  return rule;
}

/** FORBIDDEN when a nurse asks for a cabinet outside her ward (the ward rule); pharmacy and admins ask for any. */
export function authorizeWard(viewer: Viewer, dispenserWard: string): void {
  if (!canSeeWard(viewer, dispenserWard)) {
    throw errors.forbidden("Nurses open requests for the cabinets of their own ward only");
  }
}

/** CONFLICT when the cabinet's status does not allow this kind of request. */
export function checkDispenserStatus(kind: RequestKind, rule: KindRule, status: DispenserStatus): void {
  if (!rule.dispenserStatuses.includes(status)) {
    throw errors.conflict(`The cabinet is ${status}: only ASSISTANCE requests can be opened for it`, {
      reason: "DISPENSER_UNAVAILABLE",
      dispenserStatus: status,
      kind,
    });
  }
}
