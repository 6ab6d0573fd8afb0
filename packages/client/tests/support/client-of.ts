/** A client of the test stack's gateway, for a fresh person of its own, with its wire recorded. */
import { createUser, testStack, type FreshUser } from "@asky/stack/testing";
import type { Role } from "@asky/contracts";
import { createAskyClient, type AskyClient, type AskyClientOptions } from "../../src/client.js";
import { memoryTokens, type TokenStorage } from "../../src/tokens.js";
import { countingFetch, socketControl, type CountingFetch, type SocketControl } from "./wire.js";

export interface TestClient {
  client: AskyClient;
  user: FreshUser;
  storage: TokenStorage;
  wire: CountingFetch;
  sockets: SocketControl;
}

const quickRetries = { attempts: 4, baseDelayMs: 20, maxDelayMs: 100 };
const quickReconnects = { baseDelayMs: 50, maxDelayMs: 250 };

/** Signed in as a new user of `role` (nurses in UTI-ADULTO). */
export async function signedInClient(role: Role, options: Partial<AskyClientOptions> = {}): Promise<TestClient> {
  const user = await createUser(role);
  const storage = options.storage ?? memoryTokens();
  const wire = countingFetch();
  const sockets = socketControl();
  const client = createAskyClient({
    url: testStack().gatewayUrl,
    storage,
    fetch: wire.fetch,
    webSocketImpl: sockets.WebSocket,
    retry: quickRetries,
    reconnect: quickReconnects,
    ...options,
  });
  await client.signIn(user.email, user.password);
  return { client, user, storage, wire, sockets };
}
