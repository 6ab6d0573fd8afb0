/**
 * The controlled book's CSV route is admitted like /graphql: on a gateway whose users get a
 * burst of two requests and one a second, a pharmacist asking for thirty exports at once is
 * answered 429 RATE_LIMITED (coded JSON, Retry-After) for most of them, never a book; a
 * refused token is 401 before any allowance or query.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoToken, startExtraGateway, type ExtraGateway } from "@asky/stack/testing";

let gateway: ExtraGateway;
beforeAll(async () => {
  gateway = await startExtraGateway({ RATE_LIMIT_USER_BURST: "2", RATE_LIMIT_USER_PER_SECOND: "1" });
}, 120_000);
afterAll(() => gateway?.stop());

const exportUrl = () => {
  const url = new URL("/reports/controlled-book.csv", gateway.url);
  url.searchParams.set("list", "A1");
  url.searchParams.set("from", new Date(Date.now() - 86_400_000).toISOString());
  url.searchParams.set("to", new Date().toISOString());
  return url;
};

describe("GET /reports/controlled-book.csv admission", () => {
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
});
