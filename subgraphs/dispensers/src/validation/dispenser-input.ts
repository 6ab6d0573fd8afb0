import type { DispenserStatus } from "@asky/db/schema/dispensers";
import type { CreateDispenserInput, UpdateDispenserInput } from "../generated/resolvers-types.js";
import { changed, codeText, optionalText, requiredText, wardCode } from "@asky/runtime";
import { LIMITS } from "./limits.js";

export interface NewDispenser {
  code: string;
  name: string;
  ward: string;
  /** Null: take the ward's floor. */
  floor: string | null;
  location: string;
  status: DispenserStatus;
}

export type DispenserChanges = Partial<Omit<NewDispenser, "floor"> & { floor: string }>;

export function validateNewDispenser(input: CreateDispenserInput): NewDispenser {
  return {
    code: codeText(input.code, "code", LIMITS.dispenserCode),
    name: requiredText(input.name, "name", LIMITS.name),
    ward: wardCode(input.ward),
    floor: optionalText(input.floor, "floor", LIMITS.floor),
    location: requiredText(input.location, "location", LIMITS.location),
    status: input.status ?? "ONLINE",
  };
}

export function validateDispenserChanges(input: UpdateDispenserInput): DispenserChanges {
  const changes: DispenserChanges = {
    code: changed(input.code, "code", (v) => codeText(v, "code", LIMITS.dispenserCode)),
    name: changed(input.name, "name", (v) => requiredText(v, "name", LIMITS.name)),
    ward: changed(input.ward, "ward", (v) => wardCode(v)),
    floor: changed(input.floor, "floor", (v) => requiredText(v, "floor", LIMITS.floor)),
    location: changed(input.location, "location", (v) => requiredText(v, "location", LIMITS.location)),
    status: changed(input.status, "status", (v) => v),
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as DispenserChanges;
}
