/**
 * Demo staff, shared by the users seed (which inserts them) and the requests seed (which uses
 * their deterministic ids as requesters and actors). Demo data only: fictitious people.
 */
import type { Role } from "../schema/users.js";
import { deterministicCpf } from "./cpf.js";
import { wards } from "./data/wards.js";
import { userId } from "./ids.js";
import { createRng } from "./random.js";

/** Password of every seeded account (never used outside demo/dev seeds). */
export const DEMO_PASSWORD = "asky-demo-2026";

export interface SeedPerson {
  id: string;
  email: string;
  nickname: string;
  fullName: string;
  role: Role;
  ward: string | null;
  /** E.164 Brazilian mobile. */
  phone: string;
  /** 11 digits, valid check digits. */
  cpf: string;
  /** One of the five documented demo logins. */
  demo: boolean;
}

interface PersonDef {
  email: string;
  nickname: string;
  fullName: string;
  role: Role;
  ward?: string;
  demo?: boolean;
}

const demoAccounts: PersonDef[] = [
  { email: "admin@asky.dev", nickname: "Mariana", fullName: "Mariana Albuquerque Teixeira", role: "ADMIN", demo: true },
  {
    email: "pharmacist@asky.dev",
    nickname: "Rafael",
    fullName: "Rafael Menezes Carvalho",
    role: "PHARMACIST",
    demo: true,
  },
  {
    email: "tech@asky.dev",
    nickname: "Juliana",
    fullName: "Juliana Ferreira dos Santos",
    role: "PHARMACY_TECHNICIAN",
    demo: true,
  },
  {
    email: "nurse@asky.dev",
    nickname: "Ana Paula",
    fullName: "Ana Paula Oliveira Souza",
    role: "NURSE",
    ward: "UTI-ADULTO",
    demo: true,
  },
  {
    email: "nurse.peds@asky.dev",
    nickname: "Camila",
    fullName: "Camila Rodrigues Lima",
    role: "NURSE",
    ward: "PEDIATRIA",
    demo: true,
  },
];

/** More pharmacy staff, so accept/prepare/dispatch actors vary. */
const pharmacyStaff: PersonDef[] = [
  { email: "beatriz.nogueira@asky.dev", nickname: "Beatriz", fullName: "Beatriz Nogueira Campos", role: "PHARMACIST" },
  {
    email: "thiago.barbosa@asky.dev",
    nickname: "Thiago",
    fullName: "Thiago Barbosa Pereira",
    role: "PHARMACY_TECHNICIAN",
  },
];

/** Extra nurses; wards are assigned below so every ward has at least one nurse. */
const extraNurses: Array<Omit<PersonDef, "role">> = [
  { email: "fernanda.almeida@asky.dev", nickname: "Fernanda", fullName: "Fernanda Almeida Rocha" },
  { email: "lucas.martins@asky.dev", nickname: "Lucas", fullName: "Lucas Martins Araújo" },
  { email: "patricia.gomes@asky.dev", nickname: "Patrícia", fullName: "Patrícia Gomes Cardoso" },
  { email: "joao.vieira@asky.dev", nickname: "João", fullName: "João Pedro Vieira Mendes" },
  { email: "larissa.castro@asky.dev", nickname: "Larissa", fullName: "Larissa Castro Moreira" },
  { email: "renata.freitas@asky.dev", nickname: "Renata", fullName: "Renata Freitas Duarte" },
  { email: "gabriel.ribeiro@asky.dev", nickname: "Gabriel", fullName: "Gabriel Ribeiro Pinto" },
  { email: "aline.monteiro@asky.dev", nickname: "Aline", fullName: "Aline Monteiro Batista" },
  { email: "eduardo.lopes@asky.dev", nickname: "Eduardo", fullName: "Eduardo Lopes Nascimento" },
];

function brazilianMobile(seed: string): string {
  const rng = createRng(`phone:${seed}`);
  const ddd = "11"; // São Paulo
  const subscriber = `9${rng.int(6, 9)}${String(rng.int(0, 9_999_999)).padStart(7, "0")}`;
  return `+55${ddd}${subscriber}`;
}

function buildPeople(): SeedPerson[] {
  const demoWards = new Set(demoAccounts.map((p) => p.ward).filter(Boolean));
  // Wards without a demo nurse first, then the busiest (first) wards again.
  const order = [...wards.filter((w) => !demoWards.has(w.code)), ...wards].map((w) => w.code);
  const nurses: PersonDef[] = extraNurses.map((n, i) => ({
    ...n,
    role: "NURSE",
    ward: order[i % order.length] ?? "UTI-ADULTO",
  }));
  return [...demoAccounts, ...pharmacyStaff, ...nurses].map((p) => ({
    id: userId(p.email),
    email: p.email,
    nickname: p.nickname,
    fullName: p.fullName,
    role: p.role,
    ward: p.ward ?? null,
    phone: brazilianMobile(p.email),
    cpf: deterministicCpf(p.email),
    demo: p.demo ?? false,
  }));
}

export const people: readonly SeedPerson[] = buildPeople();

export function personByEmail(email: string): SeedPerson {
  const person = people.find((p) => p.email === email);
  if (!person) throw new Error(`seed person not found: ${email}`);
  return person;
}

export const nursesOfWard = (ward: string): SeedPerson[] => people.filter((p) => p.role === "NURSE" && p.ward === ward);

export const peopleWithRole = (role: Role): SeedPerson[] => people.filter((p) => p.role === role);
