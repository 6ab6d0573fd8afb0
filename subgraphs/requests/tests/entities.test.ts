import { describe, expect, it } from "vitest";
import { ask, create, idOf, newCabinet, nurse, ok, pedsNurse, pharmacist, syringe } from "./support.js";

interface UserRequests {
  user: {
    id: string;
    fullName: string;
    requests: { totalCount: number; edges: { node: { id: string; ward: string; status: string } }[] };
  };
}
const userRequests = `query($id: ID!, $status: [RequestStatus!]) {
  user(id: $id) { id fullName requests(first: 50, status: $status) { totalCount edges { node { id ward status } } } }
}`;

describe("entity extensions", () => {
  it("User.requests lists what a person asked for, within the viewer's ward", async () => {
    const cabinet = await newCabinet("UTI-ADULTO");
    const request = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    const seen = await ok<UserRequests>(pharmacist, userRequests, { id: idOf(nurse), status: ["PENDING"] });
    expect(seen.user.fullName.length).toBeGreaterThan(0);
    expect(seen.user.requests.edges.map((edge) => edge.node.id)).toContain(request.id);
    expect(seen.user.requests.edges.every((edge) => edge.node.status === "PENDING")).toBe(true);

    const mine = await ok<UserRequests>(nurse, userRequests, { id: idOf(nurse) });
    expect(mine.user.requests.totalCount).toBeGreaterThan(0);
    // Another ward's nurse sees the person, not her requests.
    const other = await ok<UserRequests>(pedsNurse, userRequests, { id: idOf(nurse) });
    expect(other.user.requests.edges.every((edge) => edge.node.ward === "PEDIATRIA")).toBe(true);
    expect(other.user.requests.edges.map((edge) => edge.node.id)).not.toContain(request.id);
  });

  it("Dispenser.openRequests lists the cabinet's requests in progress, oldest first, within the ward", async () => {
    const cabinet = await newCabinet("UTI-ADULTO");
    const a = await create(nurse, {
      kind: "MATERIAL",
      dispenserId: cabinet,
      items: [{ itemId: syringe, quantity: 1 }],
    });
    const b = await create(nurse, { kind: "ASSISTANCE", dispenserId: cabinet, reason: "COUNT_DISCREPANCY" });
    const query = `query($id: ID!) { dispenser(id: $id) { name openRequests { id status dispenser { id } } } }`;
    const seen = await ok<{ dispenser: { openRequests: { id: string }[] } }>(nurse, query, { id: cabinet });
    expect(seen.dispenser.openRequests.map((request) => request.id)).toEqual([a.id, b.id]);
    const body = await ask<{ dispenser: { openRequests: unknown[] } }>(pedsNurse, query, { id: cabinet });
    expect(body.errors).toBeUndefined();
    expect(body.data!.dispenser.openRequests).toEqual([]);
  });

  it("answers null, not an error, for a request id that is not a UUID", async () => {
    const body = await ask<{ request: unknown }>(pharmacist, `{ request(id: "REQ-000001") { id } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.request).toBeNull();
  });
});
