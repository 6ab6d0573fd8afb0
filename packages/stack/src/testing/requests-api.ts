import { gql } from "./graphql.js";

export interface Fixture {
  dispenserId: string;
  itemIds: string[];
}

/** An ONLINE cabinet of the ward and a few medications, read through the gateway. */
export async function fixtureFor(ward: string, token: string, url?: string): Promise<Fixture> {
  const { body } = await gql<{
    dispensers: { edges: { node: { id: string; status: string } }[] };
    catalog: { edges: { node: { id: string } }[] };
  }>(
    `query($ward: String) {
      dispensers(ward: $ward, first: 10) { edges { node { id status } } }
      catalog(kind: MEDICATION, first: 3) { edges { node { id } } }
    }`,
    { ward },
    { token, ...(url ? { url } : {}) },
  );
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  const dispenser = body.data.dispensers.edges.find((edge) => edge.node.status === "ONLINE");
  if (!dispenser) throw new Error(`no ONLINE dispenser in ${ward}`);
  return { dispenserId: dispenser.node.id, itemIds: body.data.catalog.edges.map((edge) => edge.node.id) };
}

export async function createRequest(
  fixture: Fixture,
  token: string,
  url?: string,
): Promise<{ id: string; version: number }> {
  const { body } = await gql<{ createRequest: { id: string; version: number } }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    {
      input: {
        kind: "MEDICATION",
        priority: "URGENT",
        dispenserId: fixture.dispenserId,
        items: fixture.itemIds.slice(0, 2).map((itemId) => ({ itemId, quantity: 2 })),
        note: "subscription test",
      },
    },
    { token, ...(url ? { url } : {}) },
  );
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.createRequest;
}

export async function changeStatus(
  request: { id: string; version: number },
  status: string,
  token: string,
  url?: string,
): Promise<{ id: string; version: number }> {
  const { body } = await gql<{ changeRequestStatus: { id: string; version: number } }>(
    `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { id version } }`,
    { input: { requestId: request.id, status, expectedVersion: request.version } },
    { token, ...(url ? { url } : {}) },
  );
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.changeRequestStatus;
}
