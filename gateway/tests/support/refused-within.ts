import { expect } from "vitest";
import type { GraphQLResponse } from "@asky/stack/testing";

/**
 * Milliseconds from now until `ask` answers 401 UNAUTHENTICATED for `token`, asking every
 * 25 ms; throws once `boundMs` has passed with the token still accepted. How the revocation
 * tests measure "a logout is enforced within the bound".
 */
export async function refusedWithin(
  token: string,
  boundMs: number,
  ask: (token: string) => Promise<{ status: number; body: GraphQLResponse<unknown> }>,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { status, body } = await ask(token);
    if (status === 401) {
      expect(body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      return Date.now() - started;
    }
    if (Date.now() - started > boundMs)
      throw new Error(`still accepted ${Date.now() - started} ms after the revocation (last status ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
