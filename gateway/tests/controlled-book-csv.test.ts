/**
 * The controlled book's CSV route is admitted like /graphql: on a gateway whose users get a
 * burst of two requests and one a second, a pharmacist asking for thirty exports at once is
 * answered 429 RATE_LIMITED (coded JSON, Retry-After) for most of them, never a book; a
 * refused token is 401 before any allowance or query; and while the dispensers service does not
 * answer, 503 with Retry-After rather than an empty or partial book.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken, startExtraGateway, testStack, type ExtraGateway } from "@asky/stack/testing";
import { startFaultProxy, type FaultProxy } from "./support/fault-proxy.js";

let gateway: ExtraGateway;
let faulty: ExtraGateway;
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(testStack().subgraphUrls.dispensers);
  [gateway, faulty] = await Promise.all([
    startExtraGateway({ RATE_LIMIT_USER_BURST: "2", RATE_LIMIT_USER_PER_SECOND: "1" }),
    startExtraGateway({ DISPENSERS_URL: proxy.url }),
  ]);
}, 120_000);
afterAll(async () => {
  gateway?.stop();
  faulty?.stop();
  await proxy?.close();
});

const exportUrl = (base = gateway.url) => {
  const url = new URL("/reports/controlled-book.csv", base);
  url.searchParams.set("list", "A1");
  url.searchParams.set("from", new Date(Date.now() - 86_400_000).toISOString());
  url.searchParams.set("to", new Date().toISOString());
  return url;
};

describe("GET /reports/controlled-book.csv under load and faults", () => {
  it("charges the user's allowance: a burst of exports is refused with 429 RATE_LIMITED", async () => {
    const token = await demoToken("pharmacist@asky.dev");
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => fetch(exportUrl(), { headers: { authorization: `Bearer ${token}` } })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    const refused = responses.filter((response) => response.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    const body = (await refused[0]!.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "USER_RATE_LIMIT" });
    expect(refused[0]!.headers.get("retry-after")).toMatch(/^\d+$/);
    await Promise.all(responses.filter((response) => !response.bodyUsed).map((response) => response.text()));
  });

  it("refuses a forged token with 401 JSON", async () => {
    const response = await fetch(exportUrl(), { headers: { authorization: "Bearer forged.token.value" } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      "UNAUTHENTICATED",
    );
  });

  it("answers 503 with Retry-After, never a partial book, while the dispensers service is unavailable", async () => {
    const token = await demoToken("pharmacist@asky.dev");
    await proxy.setMode("refuse");
    const response = await fetch(exportUrl(faulty.url), { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: "INTERNAL_SERVER_ERROR", reason: "SUBGRAPH_UNAVAILABLE" });
    await proxy.setMode("forward");
    const back = await fetch(exportUrl(faulty.url), { headers: { authorization: `Bearer ${token}` } });
    expect(back.status).toBe(200);
    expect((await back.text()).startsWith("item_code,")).toBe(true);
  });
});
