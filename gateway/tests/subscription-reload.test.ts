/**
 * A supergraph reload under live subscriptions: those the new schema still serves keep
 * running; those it no longer can end with an error saying so, never silently.
 */
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { supergraphPath } from "../src/compose.js";
import { startExtraGateway } from "./support/extra-gateway.js";
import { changeStatus, createRequest, type Fixture } from "./support/requests-api.js";
import { wardTeam } from "./support/ward-team.js";
import { subscribe, until, wsClient } from "./support/ws-client.js";

let gateway: { url: string; stop(): void };
let file: string;
let fixture: Fixture;
let nurse: string;
let pharmacist: string;

beforeAll(async () => {
  file = join(await mkdtemp(join(tmpdir(), "asky-supergraph-")), "supergraph.graphql");
  await copyFile(supergraphPath, file);
  gateway = await startExtraGateway({ SUPERGRAPH_PATH: file });
  ({ fixture, nurse, pharmacist } = await wardTeam());
}, 60_000);
afterAll(() => gateway?.stop());

describe("supergraph reload", () => {
  it("keeps subscriptions the new schema supports and ends the others with a clear error", async () => {
    const client = wsClient(gateway.url, pharmacist);
    const kept = subscribe<{ requestEvents: { status: string } }>(
      client,
      `subscription($d: ID) { requestEvents(dispenserId: $d) { status } }`,
      { d: fixture.dispenserId },
    );
    const ended = subscribe<{ requestEvents: { status: string } }>(
      client,
      `subscription($d: ID) { requestEvents(dispenserId: $d) { status actor { fullName } } }`,
      { d: fixture.dispenserId },
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    // The new supergraph no longer has RequestEvent.actor.
    const sdl = await readFile(file, "utf8");
    // The field goes with its description, if it has one: a description left behind is not SDL.
    const withoutActor = sdl.replace(/(type RequestEvent[^{]*\{[^}]*?)(\n\s*"""[^"]*""")?\n\s*actor: User[^\n]*/, "$1");
    expect(withoutActor).not.toBe(sdl);
    await writeFile(file, withoutActor);

    await until(() => ended.completed, 15_000, "the unsupported subscription to end");
    expect(JSON.stringify(ended.errors)).toContain("SUPERGRAPH_CHANGED");

    const request = await createRequest(fixture, nurse);
    await changeStatus(request, "ACCEPTED", pharmacist);
    await until(
      () => kept.results.some((result) => result.requestEvents.status === "ACCEPTED"),
      10_000,
      "the kept subscription's event",
    );
    expect(kept.completed).toBe(false);
    await client.dispose();
  }, 60_000);
});
