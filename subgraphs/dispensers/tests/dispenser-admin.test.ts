import { describe, expect, it } from "vitest";
import { as, call, codeOf, ok, unique } from "./support.js";

interface DispenserFields {
  id: string;
  code: string;
  name: string;
  ward: string;
  floor: string;
  location: string;
  status: string;
}

const fields = "id code name ward floor location status";
const create = `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { ${fields} } }`;
const update = `mutation($id: ID!, $input: UpdateDispenserInput!) { updateDispenser(id: $id, input: $input) { ${fields} } }`;

const newCabinet = (code = unique("PYX-TST")) => ({
  code,
  name: "Pyxis MedStation ES – Teste",
  ward: "CLINICA-MEDICA",
  location: "Posto 2, ao lado da copa",
});

describe("dispenser administration", () => {
  it("lets an admin create a dispenser, taking the ward's floor by default", async () => {
    const input = newCabinet();
    const { createDispenser } = await ok<{ createDispenser: DispenserFields }>(as.admin, create, { input });
    expect(createDispenser).toMatchObject({ ...input, floor: "5º andar", status: "ONLINE" });
    const { dispenser } = await ok<{ dispenser: DispenserFields }>(
      as.nurse,
      `query($id: ID!) { dispenser(id: $id) { ${fields} } }`,
      {
        id: createDispenser.id,
      },
    );
    expect(dispenser).toEqual(createDispenser);
  });

  it("updates the given fields only, and moves the floor with the ward", async () => {
    const { createDispenser } = await ok<{ createDispenser: DispenserFields }>(as.admin, create, {
      input: newCabinet(),
    });
    const { updateDispenser } = await ok<{ updateDispenser: DispenserFields }>(as.admin, update, {
      id: createDispenser.id,
      input: { status: "MAINTENANCE", ward: "ONCOLOGIA" },
    });
    expect(updateDispenser).toMatchObject({
      ...createDispenser,
      status: "MAINTENANCE",
      ward: "ONCOLOGIA",
      floor: "7º andar",
    });
  });

  it("refuses non-admins", async () => {
    for (const who of [as.nurse, as.pharmacist, as.tech]) {
      expect(codeOf(await call(who, create, { input: newCabinet() }))).toBe("FORBIDDEN");
    }
    expect(codeOf(await call(null, create, { input: newCabinet() }))).toBe("UNAUTHENTICATED");
  });

  it("answers a duplicate code with CONFLICT and an unknown ward with BAD_USER_INPUT", async () => {
    const input = newCabinet();
    await ok(as.admin, create, { input });
    expect(codeOf(await call(as.admin, create, { input }))).toBe("CONFLICT");
    expect(codeOf(await call(as.admin, create, { input: { ...newCabinet(), ward: "NOWHERE" } }))).toBe(
      "BAD_USER_INPUT",
    );
    const other = await ok<{ createDispenser: DispenserFields }>(as.admin, create, { input: newCabinet() });
    expect(codeOf(await call(as.admin, update, { id: other.createDispenser.id, input: { code: input.code } }))).toBe(
      "CONFLICT",
    );
  });

  it("bounds and checks every string, changing nothing on bad input", async () => {
    const input = newCabinet();
    const bad = [
      { ...input, name: "x".repeat(161) },
      { ...input, name: "   " },
      { ...input, code: "bad code!" },
      { ...input, location: "y".repeat(201) },
    ];
    for (const candidate of bad) {
      const result = await call(as.admin, create, { input: candidate });
      expect(codeOf(result), JSON.stringify(candidate).slice(0, 80)).toBe("BAD_USER_INPUT");
    }
    const { dispensers } = await ok<{ dispensers: { totalCount: number } }>(
      as.admin,
      `query($s: String) { dispensers(search: $s) { totalCount } }`,
      {
        s: input.code,
      },
    );
    expect(dispensers.totalCount).toBe(0);
  });

  it("answers unknown or malformed ids with NOT_FOUND", async () => {
    expect(
      codeOf(await call(as.admin, update, { id: "00000000-0000-4000-8000-000000000000", input: { name: "X" } })),
    ).toBe("NOT_FOUND");
    expect(codeOf(await call(as.admin, update, { id: "not-a-uuid", input: { name: "X" } }))).toBe("NOT_FOUND");
    const { dispenser } = await ok<{ dispenser: null }>(as.admin, `{ dispenser(id: "not-a-uuid") { id } }`);
    expect(dispenser).toBeNull();
  });

  it("lists wards and pages dispensers by ward with stable cursors", async () => {
    const { wards } = await ok<{ wards: { code: string; name: string; floor: string }[] }>(
      as.nurse,
      `{ wards { code name floor } }`,
    );
    expect(wards.map((ward) => ward.code)).toContain("UTI-ADULTO");
    expect(wards.map((ward) => ward.code)).toEqual([...wards.map((ward) => ward.code)].sort());

    const page = `query($after: String) { dispensers(first: 2, after: $after, ward: "UTI-ADULTO") {
      totalCount edges { cursor node { code ward } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      dispensers: {
        totalCount: number;
        edges: { node: { code: string; ward: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const first = await ok<Page>(as.nurse, page);
    const second = await ok<Page>(as.nurse, page, { after: first.dispensers.pageInfo.endCursor });
    const codes = [...first.dispensers.edges, ...second.dispensers.edges].map((edge) => edge.node.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(
      [...first.dispensers.edges, ...second.dispensers.edges].every((edge) => edge.node.ward === "UTI-ADULTO"),
    ).toBe(true);
    expect(codeOf(await call(as.nurse, page, { after: "garbage" }))).toBe("BAD_USER_INPUT");
  });
});
