import { describe, expect, it } from "vitest";
import { authorizeUserUpdate } from "../../src/access.js";
import { clientAddress, hashEmail, throttleDelay } from "../../src/domain/login-throttle.js";
import { hashRefreshToken, newRefreshToken } from "../../src/domain/session-tokens.js";
import { planUserUpdate, type UserProfile } from "../../src/domain/user-changes.js";
import { hashPassword, verifyPassword } from "../../src/domain/passwords.js";

const limits = { windowSeconds: 900, maxFailuresPerAccount: 5, maxFailuresPerAddress: 50 };
const none = { failures: 0, retryAfterSeconds: 0 };

describe("login throttle", () => {
  it("lets attempts through below both limits", () => {
    expect(
      throttleDelay({ failures: 4, retryAfterSeconds: 600 }, { failures: 49, retryAfterSeconds: 800 }, limits),
    ).toBeNull();
  });

  it("throttles per account and per address, waiting for the later of the two", () => {
    expect(throttleDelay({ failures: 5, retryAfterSeconds: 600 }, none, limits)).toBe(600);
    expect(throttleDelay(none, { failures: 50, retryAfterSeconds: 300 }, limits)).toBe(300);
    expect(
      throttleDelay({ failures: 5, retryAfterSeconds: 100 }, { failures: 50, retryAfterSeconds: 300 }, limits),
    ).toBe(300);
  });

  it("always asks for at least one second and never more than the window", () => {
    expect(throttleDelay({ failures: 5, retryAfterSeconds: 0 }, none, limits)).toBe(1);
    expect(throttleDelay({ failures: 5, retryAfterSeconds: 5000 }, none, limits)).toBe(900);
  });

  it("keys accounts by a hash of the normalized email and folds IPv4-mapped addresses", () => {
    expect(hashEmail(" Ana@Hospital.org ")).toBe(hashEmail("ana@hospital.org"));
    expect(hashEmail("ana@hospital.org")).toMatch(/^[0-9a-f]{64}$/);
    expect(clientAddress("::ffff:10.0.0.7")).toBe("10.0.0.7");
    expect(clientAddress("::1")).toBe("::1");
    expect(clientAddress(null)).toBe("unknown");
  });
});

describe("refresh tokens", () => {
  it("are 32 random bytes in base64url, stored as SHA-256", () => {
    const token = newRefreshToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newRefreshToken()).not.toBe(token);
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(token)).not.toContain(token);
  });
});

describe("passwords", () => {
  it("hash with argon2id and verify; unknown accounts never verify", async () => {
    const hash = await hashPassword("cavalo correto bateria grampo");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "cavalo correto bateria grampo")).toBe(true);
    expect(await verifyPassword(hash, "cavalo correto bateria grampo!")).toBe(false);
    expect(await verifyPassword(null, "cavalo correto bateria grampo")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});

describe("update planning", () => {
  const nurse: UserProfile = {
    nickname: "Ana",
    fullName: "Ana Souza",
    email: "ana@hospital.org",
    phone: null,
    cpf: "11144477735",
    role: "NURSE",
    ward: "UTI-ADULTO",
    active: true,
  };

  it("keeps only real changes and redacts the CPF in the diff", () => {
    const plan = planUserUpdate(nurse, { nickname: "Ana", fullName: "Ana P. Souza", cpf: "52998224725" });
    expect(plan.columns).toEqual({ fullName: "Ana P. Souza", cpf: "52998224725" });
    expect(plan.changes).toEqual({ fullName: { from: "Ana Souza", to: "Ana P. Souza" }, cpf: { changed: true } });
    expect(JSON.stringify(plan.changes)).not.toContain("11144477735");
  });

  it("drops the ward when someone leaves nursing", () => {
    const plan = planUserUpdate(nurse, { role: "PHARMACIST" });
    expect(plan.columns).toEqual({ role: "PHARMACIST", ward: null });
    expect(plan.next.ward).toBeNull();
  });
});

describe("updateUser policy", () => {
  const nurse = { id: "n1", role: "NURSE" as const, ward: "UTI-ADULTO" };
  const admin = { id: "a1", role: "ADMIN" as const, ward: null };
  const forbidden = (fn: () => void) =>
    expect(fn).toThrow(expect.objectContaining({ extensions: { code: "FORBIDDEN" } }));

  it("lets anyone edit their own profile fields", () => {
    expect(() =>
      authorizeUserUpdate(nurse, "n1", { nickname: "Aninha", phone: null, email: "a@b.org", fullName: "Ana" }),
    ).not.toThrow();
  });

  it("keeps role, ward, active, CPF, password and other people for administrators", () => {
    for (const input of [
      { role: "ADMIN" as const },
      { ward: "PEDIATRIA" },
      { active: false },
      { cpf: "52998224725" },
      { password: "x" },
    ]) {
      forbidden(() => authorizeUserUpdate(nurse, "n1", input));
    }
    forbidden(() => authorizeUserUpdate(nurse, "someone-else", { nickname: "x" }));
    expect(() =>
      authorizeUserUpdate(admin, "n1", { role: "PHARMACIST", ward: null, active: false, password: "x" }),
    ).not.toThrow();
  });

  it("stops administrators from demoting, deactivating or resetting themselves", () => {
    forbidden(() => authorizeUserUpdate(admin, "a1", { role: "NURSE" }));
    forbidden(() => authorizeUserUpdate(admin, "a1", { active: false }));
    forbidden(() => authorizeUserUpdate(admin, "a1", { password: "x" }));
    expect(() => authorizeUserUpdate(admin, "a1", { nickname: "Mari" })).not.toThrow();
  });

  it("ignores fields sent as undefined", () => {
    expect(() => authorizeUserUpdate(nurse, "n1", { nickname: "Ana", role: undefined })).not.toThrow();
  });
});
