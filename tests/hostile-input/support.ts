/**
 * What the hostile-input case modules share: the shape of a case, the hostile values, and the
 * builders of well-formed variables that a case spoils in one place. The builders read the
 * fixture ids when a case runs, after the runner has created them.
 */
import { randomUUID } from "node:crypto";
import { itemId } from "@asky/db/seed/ids";
import type { DemoAccount } from "../support/session.js";

export type Outcome = "BAD_USER_INPUT" | "NOT_FOUND" | "null";

export interface Case {
  /** The operation and the argument (or input field) the hostile value goes into. */
  readonly name: string;
  readonly as: DemoAccount | null;
  readonly query: string;
  readonly variables: () => Record<string, unknown>;
  readonly expect: Outcome;
  /** `extensions.argument` (top-level argument) or `extensions.field` (input field) of the error. */
  readonly names?: string;
}

export const cursor = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
export const someId = "6f1c1a44-2a0c-4c0e-9d0a-5b1f0c3e8d21";

export const NUL = "Dipirona\u0000";
export const ESC = "\u001b[2J";
export const C1 = "Sala\u0085B";
export const DEL = "UTI\u007f";
export const LONE_SURROGATE = "nota \ud800";
export const TAB = "Sala\tB";

/** Objects the cases aim at, created for this file so that "nothing changed" is checkable. */
export interface Fixtures {
  cabinet: string;
  medication: string;
  request: string;
  user: string;
}
export const fixtures: Fixtures = { cabinet: "", medication: "", request: "", user: "" };

export const dipirona = itemId("MED-DIPIRONA-500-CP");
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

export const adjust = (extra: Record<string, unknown>) => () => ({
  input: {
    dispenserId: fixtures.cabinet,
    itemId: dipirona,
    delta: 1,
    reason: "RESTOCK",
    lotNumber: "L-HOSTILE-1",
    ...extra,
  },
});
export const newRequest = (extra: Record<string, unknown>) => () => ({
  input: { kind: "MEDICATION", dispenserId: fixtures.cabinet, items: [{ itemId: dipirona, quantity: 1 }], ...extra },
});
export const statusChange = (extra: Record<string, unknown>) => () => ({
  input: { requestId: fixtures.request, status: "ACCEPTED", expectedVersion: 1, ...extra },
});
export const pickLine = (extra: Record<string, unknown>) => ({ itemId: dipirona, quantity: 1, ...extra });
export const receipt = (line: Record<string, unknown>) => ({
  input: {
    requestId: fixtures.request,
    expectedVersion: 1,
    lines: [{ itemId: dipirona, quantityReceived: 1, ...line }],
  },
});
export const recordPick =
  (line: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  () => ({
    input: { requestId: fixtures.request, expectedVersion: 1, lines: [pickLine(line)], ...extra },
  });
export const pickLot = (extra: Record<string, unknown>) => ({
  lotNumber: "L-1",
  expiresAt: "2030-01-01",
  quantity: 1,
  ...extra,
});
export const newDispenser = (extra: Record<string, unknown>) => () => ({
  input: { code: unique("PYX-HOSTILE"), name: "Armário", ward: "UTI-ADULTO", location: "Sala 1", ...extra },
});
export const newMedication = (extra: Record<string, unknown>) => () => ({
  input: {
    code: unique("MED-HOSTILE"),
    name: "Hostilina",
    unit: "comprimido",
    unitCost: 1.5,
    activeIngredient: "hostilina",
    strength: "10 mg",
    dosageForm: "comprimido",
    ...extra,
  },
});
export const vars = (values: Record<string, unknown>) => () => values;
