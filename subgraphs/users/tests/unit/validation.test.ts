import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import {
  checkPassword,
  isValidCpf,
  normalizeCpf,
  normalizeEmail,
  normalizePhone,
  normalizeWard,
  validateNewUser,
  validateUserUpdate,
} from "../../src/validation/index.js";

/** Runs `fn` and returns the BAD_USER_INPUT field it threw for (fails if it did not throw one). */
function rejectedField(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    return (error as GraphQLError).extensions.field;
  }
  throw new Error("expected a BAD_USER_INPUT error");
}

describe("CPF", () => {
  it.each(["111.444.777-35", "529.982.247-25", "11144477735", "52998224725", " 529.982.247-25 "])(
    "accepts %s",
    (cpf) => {
      expect(normalizeCpf(cpf)).toMatch(/^\d{11}$/);
    },
  );

  it("stores 11 bare digits", () => {
    expect(normalizeCpf("111.444.777-35")).toBe("11144477735");
  });

  it.each(["111.111.111-11", "123.456.789-00", "000.000.000-00", "99999999999", "529.982.247-26", "111.444.777-53"])(
    "rejects %s with BAD_USER_INPUT on field cpf",
    (cpf) => {
      expect(rejectedField(() => normalizeCpf(cpf))).toBe("cpf");
    },
  );

  it.each(["", "1114447773", "111444777355", "111-444-777.35", "abc.def.ghi-jk", "111 444 777 35"])(
    "rejects malformed %j",
    (cpf) => {
      expect(rejectedField(() => normalizeCpf(cpf))).toBe("cpf");
    },
  );

  it("checks both digits", () => {
    expect(isValidCpf("11144477735")).toBe(true);
    expect(isValidCpf("11144477745")).toBe(false);
    expect(isValidCpf("11144477736")).toBe(false);
  });
});

describe("email", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail("  Ana.Souza@Hospital.ORG.br ")).toBe("ana.souza@hospital.org.br");
  });

  it.each([
    "ana",
    "ana@",
    "@hospital.org",
    "ana@hospital",
    "ana..souza@hospital.org",
    ".ana@hospital.org",
    "ana@-hospital.org",
    "ana souza@hospital.org",
    "ana@hospital.c",
    `${"a".repeat(65)}@hospital.org`,
  ])("rejects %j", (email) => {
    expect(rejectedField(() => normalizeEmail(email))).toBe("email");
  });
});

describe("phone", () => {
  it.each([
    ["(11) 98765-4321", "+5511987654321"],
    ["11 3456-7890", "+551134567890"],
    ["+55 21 99876-5432", "+5521998765432"],
    ["+1 415 555 2671", "+14155552671"],
  ])("normalizes %s to %s", (input, e164) => {
    expect(normalizePhone(input)).toBe(e164);
  });

  it.each(["123", "abc", "(00) 98765-4321", "11 98765-4321 ext 5", ""])("rejects %j", (phone) => {
    expect(rejectedField(() => normalizePhone(phone))).toBe("phone");
  });
});

describe("ward", () => {
  it("uppercases codes and refuses free text", () => {
    expect(normalizeWard(" uti-adulto ")).toBe("UTI-ADULTO");
    expect(rejectedField(() => normalizeWard("UTI adulto"))).toBe("ward");
  });
});

describe("password policy", () => {
  const owner = { email: "ana.paula@hospital.org", cpf: "11144477735" };

  it("accepts a long passphrase", () => {
    expect(() => checkPassword("cavalo correto bateria grampo", owner)).not.toThrow();
    expect(() => checkPassword("Tr0pical-Mango-Lantern", owner)).not.toThrow();
  });

  it("enforces 12 to 128 characters", () => {
    expect(rejectedField(() => checkPassword("Xq7#mP2$vL9", owner))).toBe("password");
    expect(() => checkPassword("Xq7#mP2$vL9!", owner)).not.toThrow();
    expect(rejectedField(() => checkPassword("Xq7#mP2$vL9!".repeat(11), owner))).toBe("password");
  });

  it.each([
    "senha1234567",
    "Senha@2026!!",
    "senha123senha123",
    "S3nh@12345678",
    "minhasenha123",
    "password123456",
    "P@ssw0rd2026!",
    "123456789012",
    "qwertyuiopasdf",
    "abcdefghijklmn",
    "flamengo2026!",
    "corinthians123",
    "jesuscristo1234",
    "hospital2026!!",
    "asky-demo-2026",
    "aaaaaaaaaaaaaa",
    "abababababababab",
  ])("rejects the common or predictable %j", (password) => {
    expect(rejectedField(() => checkPassword(password, owner))).toBe("password");
  });

  it("rejects passwords containing the email name or the CPF", () => {
    expect(rejectedField(() => checkPassword("ana.paula-gosta-de-cafe", owner))).toBe("password");
    expect(rejectedField(() => checkPassword("Gosto-de-Paula-e-cafe", owner))).toBe("password");
    expect(rejectedField(() => checkPassword("cafe-111.444.777-35", owner))).toBe("password");
    expect(rejectedField(() => checkPassword("cafe11144477735forte", owner, "newPassword"))).toBe("newPassword");
  });
});

describe("user input", () => {
  const valid = {
    nickname: " Ana ",
    fullName: "Ana  Paula   Souza",
    email: "Ana.Paula@Hospital.org",
    phone: "(11) 98765-4321",
    cpf: "111.444.777-35",
    role: "NURSE" as const,
    ward: "uti-adulto",
    password: "cavalo correto bateria grampo",
  };

  it("normalizes a new user", () => {
    expect(validateNewUser(valid).profile).toEqual({
      nickname: "Ana",
      fullName: "Ana Paula Souza",
      email: "ana.paula@hospital.org",
      phone: "+5511987654321",
      cpf: "11144477735",
      role: "NURSE",
      ward: "UTI-ADULTO",
      active: true,
    });
  });

  it("requires a ward for nurses and refuses one for pharmacy staff", () => {
    expect(rejectedField(() => validateNewUser({ ...valid, ward: null }))).toBe("ward");
    expect(rejectedField(() => validateNewUser({ ...valid, ward: "  " }))).toBe("ward");
    expect(rejectedField(() => validateNewUser({ ...valid, role: "PHARMACIST" }))).toBe("ward");
    expect(validateNewUser({ ...valid, role: "PHARMACIST", ward: null }).profile.ward).toBeNull();
  });

  it("bounds names", () => {
    expect(rejectedField(() => validateNewUser({ ...valid, nickname: "A" }))).toBe("nickname");
    expect(rejectedField(() => validateNewUser({ ...valid, fullName: "x".repeat(121) }))).toBe("fullName");
    expect(rejectedField(() => validateNewUser({ ...valid, nickname: "Ana\u200b" }))).toBe("nickname");
  });

  it("keeps absent update fields absent, clears the phone on null and refuses null for required fields", () => {
    expect(validateUserUpdate({ nickname: "Aninha" })).toEqual({ patch: { nickname: "Aninha" }, password: null });
    expect(validateUserUpdate({ phone: null }).patch).toEqual({ phone: null });
    expect(rejectedField(() => validateUserUpdate({ email: null }))).toBe("email");
    expect(rejectedField(() => validateUserUpdate({ cpf: "123.456.789-00" }))).toBe("cpf");
  });
});
