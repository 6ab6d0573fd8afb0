/** The dispensers contract as clients see it: through the gateway, signed in as demo users. */
import { describe, expect, it } from "vitest";
import { demoToken, gql } from "@asky/stack/testing";
import { decodeSvg } from "./qr-image.js";
import { inDays, slot } from "./stock-fixtures.js";

describe("dispensers through the gateway", () => {
  it("joins 50 requests with their dispensers' stock and their items", async () => {
    const { status, body } = await gql<{
      requests: {
        edges: {
          node: {
            dispenser: { code: string; stock: { quantity: number; available: number; item: { name: string } }[] };
            items: { item: { __typename: string; unitCost: number } }[];
          };
        }[];
      };
    }>(
      `{ requests(first: 50) { edges { node {
          dispenser { code stock(lowOnly: false) { quantity available item { name } } }
          items { item { __typename unitCost } } } } } }`,
      {},
      { token: await demoToken("pharmacist@asky.dev") },
    );
    // The whole answer in the message: a refusal must say what it was.
    expect({ status, errors: body.errors, data: body.data ? "present" : body.data }, JSON.stringify(body)).toEqual({
      status: 200,
      errors: undefined,
      data: "present",
    });
    const nodes = body.data!.requests.edges.map((edge) => edge.node);
    expect(nodes.length).toBeGreaterThan(20);
    expect(nodes.every((node) => node.dispenser.code.startsWith("PYX-"))).toBe(true);
    expect(
      nodes.some((node) => node.dispenser.stock.some((level) => level.available <= level.quantity && level.item.name)),
    ).toBe(true);
  });

  it("lets a technician restock and a nurse only read", async () => {
    const { dispenserId, itemId } = await slot();
    const mutation = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity lots { lotNumber expiresAt quantity expired } } }`;
    const input = { dispenserId, itemId, delta: 12, reason: "RESTOCK", lotNumber: "GW-1", expiresAt: inDays(90) };
    const nurse = await gql(mutation, { input }, { token: await demoToken("nurse@asky.dev") });
    expect(nurse.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const tech = await gql<{ adjustStock: { quantity: number } }>(
      mutation,
      { input },
      { token: await demoToken("tech@asky.dev") },
    );
    expect(tech.body.errors).toBeUndefined();
    expect(tech.body.data!.adjustStock).toEqual({
      quantity: 12,
      lots: [{ lotNumber: "GW-1", expiresAt: inDays(90), quantity: 12, expired: false }],
    });
    const bad = await gql(
      mutation,
      { input: { ...input, expiresAt: "not a date" } },
      { token: await demoToken("tech@asky.dev") },
    );
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("prints a label an admin can read and a nurse can scan", async () => {
    const { body } = await gql<{
      dispensers: { edges: { node: { id: string; qrCode: { payload: string; svg: string } } }[] };
    }>(
      `{ dispensers(first: 1, ward: "PEDIATRIA") { edges { node { id qrCode { payload svg } } } } }`,
      {},
      { token: await demoToken("admin@asky.dev") },
    );
    const cabinet = body.data!.dispensers.edges[0]!.node;
    expect(decodeSvg(cabinet.qrCode.svg)).toBe(cabinet.qrCode.payload);
    const scanned = await gql<{ dispenserByQr: { id: string; ward: string } }>(
      `query($payload: String!) { dispenserByQr(payload: $payload) { id ward } }`,
      { payload: cabinet.qrCode.payload },
      { token: await demoToken("nurse.peds@asky.dev") },
    );
    expect(scanned.body.data!.dispenserByQr).toEqual({ id: cabinet.id, ward: "PEDIATRIA" });
  });

  it("answers anonymous callers with UNAUTHENTICATED", async () => {
    const { body } = await gql(`{ wards { code } }`);
    expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
