import { describe, expect, it } from "vitest";
import { canSeeWard, roles, wardScopeOf, type Role } from "../../src/index.js";

describe("the ward rule", () => {
  it("confines a nurse to her own ward", () => {
    const nurse = { role: "NURSE", ward: "UTI-ADULTO" } as const;
    expect(wardScopeOf(nurse)).toBe("UTI-ADULTO");
    expect(canSeeWard(nurse, "UTI-ADULTO")).toBe(true);
    expect(canSeeWard(nurse, "PEDIATRIA")).toBe(false);
  });

  it("shows a nurse without a ward nothing, never everything", () => {
    const nurse = { role: "NURSE", ward: null } as const;
    // Truthy, so that `if (ward) filter by it` cannot turn it into "every ward".
    expect(wardScopeOf(nurse)).toBeTruthy();
    expect(canSeeWard(nurse, "UTI-ADULTO")).toBe(false);
  });

  it.each(roles.filter((role): role is Exclude<Role, "NURSE"> => role !== "NURSE"))(
    "lets %s see every ward",
    (role) => {
      expect(wardScopeOf({ role, ward: null })).toBeNull();
      expect(canSeeWard({ role, ward: "UTI-ADULTO" }, "PEDIATRIA")).toBe(true);
    },
  );
});
