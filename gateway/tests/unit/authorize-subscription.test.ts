/**
 * Subscribe-time checks shared by a group: identical subscribes under way share one check (one
 * lookup), a subscription joining a live group is not checked again, and a refusal is shared
 * by every subscribe that asked the same question, then forgotten.
 */
import { buildSchema, parse, type ExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import type { Viewer } from "@asky/contracts";
import { authorizeSubscription } from "../../src/subscriptions/authorize-subscription.js";
import type { OperationExecutor } from "../../src/subscriptions/execute-operation.js";
import { subscriptionFields } from "../../src/subscriptions/fields/index.js";
import { planSubscription } from "../../src/subscriptions/subscription-plan.js";

const schema = buildSchema(`
  type Query { requestEvent(id: ID!, cursor: String): RequestEvent }
  type RequestEvent { cursor: String! status: String! }
  type Subscription { requestEvents(ward: String, dispenserId: ID, after: String): RequestEvent! }
`);
const cabinet = "5f0c6a4e-8d1b-4c1e-9d3a-0b6f8e2a1c02";
const pharmacist: Viewer = { id: "p-1", role: "PHARMACIST", ward: null };
const context = { requestId: "t", viewer: pharmacist, clientIp: null, sessionId: null, accessIssuedAtMs: null };
const board = planSubscription(
  subscriptionFields,
  schema,
  parse(`subscription($d: ID) { requestEvents(dispenserId: $d) { status } }`),
  undefined,
  { d: cabinet },
  pharmacist,
);

/** An executor answering every lookup with `answer` once `release` is called, counting lookups. */
function gatedExecutor(answer: ExecutionResult) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const executor = Object.assign(
    (async () => {
      executor.calls += 1;
      await gate;
      return answer;
    }) as OperationExecutor,
    { calls: 0 },
  );
  return { executor, release: () => open() };
}

const noGroup = { serves: () => false };

describe("authorizeSubscription", () => {
  it("shares one lookup between identical subscribes under way", async () => {
    const { executor, release } = gatedExecutor({ data: { dispenser: { id: cabinet, ward: "UTI-ADULTO" } } });
    const checks = Array.from({ length: 20 }, () => authorizeSubscription(board, context, executor, noGroup));
    release();
    await Promise.all(checks);
    expect(executor.calls).toBe(1);
    // Settled and forgotten: the next burst looks again.
    const again = authorizeSubscription(board, context, executor, noGroup);
    await again;
    expect(executor.calls).toBe(2);
  });

  it("gives every subscribe of the burst the refusal", async () => {
    const { executor, release } = gatedExecutor({ data: { dispenser: null } });
    const checks = Array.from({ length: 3 }, () => authorizeSubscription(board, context, executor, noGroup));
    release();
    for (const check of checks) await expect(check).rejects.toMatchObject({ extensions: { code: "NOT_FOUND" } });
    expect(executor.calls).toBe(1);
  });

  it("does not check again a subscription joining a live group", async () => {
    const { executor } = gatedExecutor({ data: { dispenser: null } });
    await authorizeSubscription(board, context, executor, { serves: (key) => key === board.groupKey });
    expect(executor.calls).toBe(0);
  });
});
