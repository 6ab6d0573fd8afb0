import { describe, expect, it } from "vitest";
import { requestStatusValues, requestKindValues } from "../../src/schema/requests.js";
import { catalogSearchText, normalizeSearchText } from "../../src/search.js";
import { cpfCheckDigits, deterministicCpf, isValidCpf } from "../../src/seed/cpf.js";
import { dispensers } from "../../src/seed/data/wards.js";
import { userId, uuidV5 } from "../../src/seed/ids.js";
import { people } from "../../src/seed/people.js";
import { stockPlan } from "../../src/seed/plan.js";
import { planRequests } from "../../src/seed/requests.js";

describe("seed helpers", () => {
  it("computes CPF check digits (módulo 11)", () => {
    expect(cpfCheckDigits("529982247")).toBe("25");
    expect(isValidCpf("529.982.247-25")).toBe(true);
    expect(isValidCpf("529.982.247-26")).toBe(false);
    expect(isValidCpf("111.111.111-11")).toBe(false);
    expect(deterministicCpf("x")).toBe(deterministicCpf("x"));
  });

  it("derives RFC 4122 v5 ids", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
    expect(userId("Nurse@Asky.dev")).toBe(userId("nurse@asky.dev"));
  });

  it("normalizes search text", () => {
    expect(normalizeSearchText("Dipirona  Sódica", "AÇÃO")).toBe("dipirona sodica acao");
    expect(catalogSearchText("Dipirona Sódica 500 mg", "Dipirona sódica")).toBe("dipirona sodica 500 mg");
  });
});

describe("demo data", () => {
  it("has valid, unique staff", () => {
    expect(new Set(people.map((p) => p.email)).size).toBe(people.length);
    expect(new Set(people.map((p) => p.cpf)).size).toBe(people.length);
    for (const p of people) {
      expect(isValidCpf(p.cpf)).toBe(true);
      expect(p.phone).toMatch(/^\+55\d{2}9\d{8}$/);
      if (p.role === "NURSE") expect(p.ward).toBeTruthy();
    }
  });

  it("plans stock with consistent lots and low flags", () => {
    for (const d of dispensers) {
      const plan = stockPlan(d.code, d.ward);
      expect(plan.length).toBeGreaterThanOrEqual(20);
      for (const level of plan) {
        expect(level.minLevel).toBeLessThanOrEqual(level.parLevel);
        expect(level.low).toBe(level.quantity < level.minLevel);
        expect(level.lots.reduce((acc, l) => acc + l.quantity, 0)).toBe(level.quantity);
      }
    }
  });

  it("plans requests in every status and kind with consistent totals and history", () => {
    const planned = planRequests(new Date());
    expect(new Set(planned.map((r) => r.status))).toEqual(new Set(requestStatusValues));
    expect(new Set(planned.map((r) => r.kind))).toEqual(new Set(requestKindValues));
    for (const r of planned) {
      expect(r.history[0]?.from).toBeNull();
      expect(r.history.at(-1)?.to).toBe(r.status);
      expect(r.totalCostCents).toBe(r.items.reduce((acc, i) => acc + i.quantity * i.item.unitCostCents, 0));
      if (r.status === "REJECTED" || r.status === "CANCELLED") expect(r.history.at(-1)?.reasonCode).toBeTruthy();
    }
  });
});
