import { demoToken } from "@asky/stack/testing";
import { changeStatus, createRequest, fixtureFor, type Fixture } from "./requests-api.js";
import { subscribe, until, wsClient, type Received } from "./ws-client.js";

/** The demo nurse and pharmacist of UTI-ADULTO, and an ONLINE cabinet of the ward to request from. */
export interface WardTeam {
  readonly nurse: string;
  readonly pharmacist: string;
  readonly fixture: Fixture;
}

export async function wardTeam(): Promise<WardTeam> {
  const [nurse, pharmacist] = await Promise.all([demoToken("nurse@asky.dev"), demoToken("pharmacist@asky.dev")]);
  return { nurse, pharmacist, fixture: await fixtureFor("UTI-ADULTO", nurse) };
}

export interface DeliveredChange {
  /** What the nurse's subscription received: the ACCEPTED event, and any errors. */
  readonly received: Received<{ requestStatusChanged: { status: string } }>;
  /** Epoch ms just before the change was sent. */
  readonly committed: number;
  /** Epoch ms once its event had reached the nurse's socket. */
  readonly delivered: number;
}

/**
 * A live status change through the gateway at `gatewayUrl`: the nurse creates a request and
 * subscribes to its status (payload resolved across subgraphs); once the subscription has
 * settled and `beforeChange` has run, the pharmacist accepts the request. Resolves when the
 * ACCEPTED event has reached the nurse's socket, which is then closed.
 */
export async function acceptWhileSubscribed(
  gatewayUrl: string,
  { fixture, nurse, pharmacist }: WardTeam,
  beforeChange?: () => Promise<void>,
): Promise<DeliveredChange> {
  const request = await createRequest(fixture, nurse, gatewayUrl);
  const client = wsClient(gatewayUrl, nurse);
  try {
    const received = subscribe<{ requestStatusChanged: { status: string } }>(
      client,
      `subscription($id: ID!) { requestStatusChanged(requestId: $id) { status request { requester { fullName } } } }`,
      { id: request.id },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await beforeChange?.();
    const committed = Date.now();
    await changeStatus(request, "ACCEPTED", pharmacist, gatewayUrl);
    await until(() => received.results.length === 1, 15_000, "the ACCEPTED event");
    return { received, committed, delivered: Date.now() };
  } finally {
    await client.dispose();
  }
}
