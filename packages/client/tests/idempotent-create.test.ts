/**
 * A createRequest whose answer is lost after the server made the request is retried by the
 * client with the same idempotency key: one request exists, and the client returns it.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { testStack } from "@asky/stack/testing";
import { CatalogSearchDocument, WardBoardDocument, WardDispensersDocument } from "../src/documents.js";
import { signedInClient } from "./support/client-of.js";

async function requestRows(note: string): Promise<{ id: string; idempotency_key: string }[]> {
  const client = new pg.Client({ connectionString: testStack().serviceDatabaseUrls.requests });
  await client.connect();
  try {
    return (await client.query(`SELECT id, idempotency_key FROM requests.requests WHERE note = $1`, [note])).rows;
  } finally {
    await client.end();
  }
}

describe("createRequest with a lost answer", () => {
  it("is retried with the same key and yields one request, which the client returns", async () => {
    const { client, wire } = await signedInClient("NURSE");
    const ward = client.viewer!.ward!;
    const dispensers = await client.execute(WardDispensersDocument, { ward });
    const dispenser = dispensers.dispensers.edges.find((edge) => edge.node.status === "ONLINE")!.node;
    const catalog = await client.execute(CatalogSearchDocument, { kind: "MEDICATION", first: 2 });
    const note = `lost answer ${crypto.randomUUID()}`;

    wire.loseAnswers("CreateRequest");
    const created = await client.createRequest({
      kind: "MEDICATION",
      priority: "URGENT",
      dispenserId: dispenser.id,
      items: catalog.catalog.edges.map((edge) => ({ itemId: edge.node.id, quantity: 1 })),
      note,
    });

    const sent = wire.bodies.filter((body) => body.operationName === "CreateRequest");
    expect(sent).toHaveLength(2);
    const keys = sent.map((body) => (body.variables!.input as { idempotencyKey: string }).idempotencyKey);
    expect(keys[0]).toBe(keys[1]);
    const rows = await requestRows(note);
    expect(rows).toEqual([{ id: created.id, idempotency_key: keys[0] }]);
    const board = await client.execute(WardBoardDocument, { ward, first: 100 });
    expect(board.requests.edges.filter((edge) => edge.node.note === note).map((edge) => edge.node.id)).toEqual([
      created.id,
    ]);
  });
});
