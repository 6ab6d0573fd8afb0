/**
 * The spare processes tests start beside the stack's (startExtraGateway, startReplica) listen
 * where the test says, and a start that fails leaves nothing running.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startExtraGateway, startReplica, type ExtraGateway, type Replica } from "@asky/stack/testing";
import { findFreePort, isPortFree } from "../src/ports.js";

let gateway: ExtraGateway | undefined;
let replica: Replica | undefined;

afterEach(async () => {
  gateway?.stop();
  gateway = undefined;
  await replica?.stop();
  replica = undefined;
});

async function healthOf(url: string): Promise<number> {
  const response = await fetch(new URL("/health", url));
  await response.body?.cancel();
  return response.status;
}

describe("startExtraGateway", () => {
  it("listens on the PORT it is given and waits for its health there", async () => {
    const port = await findFreePort();
    gateway = await startExtraGateway({ PORT: String(port) });
    expect(new URL(gateway.url).port).toBe(String(port));
    expect(await healthOf(gateway.url)).toBe(200);
  }, 90_000);

  it("stops a gateway that does not become healthy before it throws", async () => {
    const port = await findFreePort();
    // Nothing answers there: the gateway runs, its /health answers 503 for the users subgraph.
    const nowhere = `http://127.0.0.1:${await findFreePort()}/graphql`;
    await expect(startExtraGateway({ PORT: String(port), USERS_URL: nowhere }, { timeoutMs: 5_000 })).rejects.toThrow(
      /did not become ready/,
    );
    expect(await isPortFree(port)).toBe(true);
  }, 90_000);

  it("refuses a PORT it could not wait on, starting nothing", async () => {
    await expect(startExtraGateway({ PORT: "0" })).rejects.toThrow(/PORT must be a port number/);
  });
});

describe("startReplica", () => {
  it("listens on the PORT it is given", async () => {
    const port = await findFreePort();
    replica = await startReplica("dispensers", { PORT: String(port) });
    expect(new URL(replica.url).port).toBe(String(port));
    expect(await healthOf(replica.url)).toBe(200);
  }, 120_000);
});
