/**
 * The turnaround clock's targets (issue 17): the seeded SLA policies, setSlaPolicy (PHARMACIST
 * or ADMIN, audited, bounded) and Request.sla, set at creation and on every move from the
 * policy in force then. A refused change leaves the policy and its audit as they were.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { DemoAccount } from "@asky/stack/testing";
import {
  admin,
  adminPool,
  ask,
  change,
  codeOf,
  idOf,
  medicationRequest,
  nurse,
  ok,
  pharmacist,
  tech,
} from "./support.js";

const pool = adminPool();

const defaultStat = { acceptWithinSeconds: 300, dispatchWithinSeconds: 900, deliverWithinSeconds: 1800 };
const statMedication = { kind: "MEDICATION", priority: "STAT" } as const;

afterAll(async () => {
  await ok(admin, setMutation, { input: { ...statMedication, ...defaultStat } });
  await pool.end();
});

const setMutation = `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) {
  kind priority acceptWithinSeconds dispatchWithinSeconds deliverWithinSeconds updatedAt } }`;

const trySet = (account: DemoAccount, input: Record<string, unknown>) => ask(account, setMutation, { input });

interface Sla {
  stage: string;
  dueAt: string;
  breached: boolean;
  breachedAt: string | null;
  warnedAt: string | null;
}

const slaOf = async (id: string) =>
  (
    await ok<{ request: { sla: Sla | null; createdAt: string } }>(
      pharmacist,
      `query($id: ID!) { request(id: $id) { createdAt sla { stage dueAt breached breachedAt warnedAt } } }`,
      { id },
    )
  ).request;

/** Seconds from creation to the stored due time, exact (microseconds), from the row itself. */
async function dueSeconds(id: string): Promise<{ stage: string | null; seconds: number | null }> {
  const { rows } = await pool.query<{ stage: string | null; seconds: number | null }>(
    `select sla_stage as stage, extract(epoch from sla_due_at - created_at)::float8 as seconds
     from requests.requests where id = $1`,
    [id],
  );
  return rows[0]!;
}

/** The policy row and how many audit entries it has: what a refusal must leave unchanged. */
async function policyState() {
  const { rows } = await pool.query(
    `select p.accept_within_seconds, p.dispatch_within_seconds, p.deliver_within_seconds, p.updated_at,
       (select count(*)::int from requests.sla_policy_changes) as changes
     from requests.sla_policies p where kind = 'MEDICATION' and priority = 'STAT'`,
  );
  return rows[0] as Record<string, unknown>;
}

describe("SLA policies", () => {
  it("are seeded for every kind and priority, STAT by the literature, RESTOCK and ASSISTANCE their own", async () => {
    const { slaPolicies } = await ok<{
      slaPolicies: {
        kind: string;
        priority: string;
        acceptWithinSeconds: number;
        dispatchWithinSeconds: number;
        deliverWithinSeconds: number;
      }[];
    }>(nurse, `{ slaPolicies { kind priority acceptWithinSeconds dispatchWithinSeconds deliverWithinSeconds } }`);
    expect(slaPolicies).toHaveLength(16);
    const of = (kind: string, priority: string) =>
      slaPolicies.find((policy) => policy.kind === kind && policy.priority === priority);
    expect(of("MEDICATION", "STAT")).toMatchObject(defaultStat);
    expect(of("RESTOCK", "STAT")?.dispatchWithinSeconds).not.toBe(defaultStat.dispatchWithinSeconds);
    expect(of("ASSISTANCE", "STAT")?.acceptWithinSeconds).not.toBe(defaultStat.acceptWithinSeconds);
    for (const policy of slaPolicies) {
      expect(policy.acceptWithinSeconds).toBeLessThanOrEqual(policy.dispatchWithinSeconds);
      expect(policy.dispatchWithinSeconds).toBeLessThanOrEqual(policy.deliverWithinSeconds);
    }
  });

  it("are changed by a pharmacist, with who and the previous windows logged", async () => {
    const before = await pool.query<{ n: number }>(`select count(*)::int as n from requests.sla_policy_changes`);
    const input = {
      ...statMedication,
      acceptWithinSeconds: 240,
      dispatchWithinSeconds: 840,
      deliverWithinSeconds: 1740,
    };
    const { setSlaPolicy } = await ok<{ setSlaPolicy: Record<string, unknown> }>(pharmacist, setMutation, { input });
    expect(setSlaPolicy).toMatchObject(input);
    const { rows } = await pool.query(`select * from requests.sla_policy_changes order by seq desc limit 1`);
    expect(rows[0]).toMatchObject({
      kind: "MEDICATION",
      priority: "STAT",
      previous_accept_within_seconds: 300,
      accept_within_seconds: 240,
      deliver_within_seconds: 1740,
      actor_id: idOf(pharmacist),
    });
    const after = await pool.query<{ n: number }>(`select count(*)::int as n from requests.sla_policy_changes`);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
    await ok(admin, setMutation, { input: { ...statMedication, ...defaultStat } });
  });

  it("refuse other roles and hostile windows with codes, changing nothing", async () => {
    const state = await policyState();
    const valid = { ...statMedication, ...defaultStat, acceptWithinSeconds: 60 };
    expect(codeOf(await trySet(nurse, valid))).toBe("FORBIDDEN");
    expect(codeOf(await trySet(tech, valid))).toBe("FORBIDDEN");
    const hostile: Record<string, unknown>[] = [
      { acceptWithinSeconds: 0 },
      { acceptWithinSeconds: -5 },
      { deliverWithinSeconds: 604_801 },
      { deliverWithinSeconds: 2_147_483_647 },
      { dispatchWithinSeconds: 200 },
      { deliverWithinSeconds: 600 },
      { acceptWithinSeconds: 1.5 },
    ];
    for (const change of hostile) {
      const refused = await trySet(admin, { ...statMedication, ...defaultStat, ...change });
      expect(codeOf(refused), JSON.stringify(change)).toBe("BAD_USER_INPUT");
    }
    // Not an enum value, nor an Int at all: refused by the schema before the resolver.
    expect(codeOf(await trySet(admin, { ...valid, kind: "PIZZA" }))).toBeTruthy();
    expect(codeOf(await trySet(admin, { ...valid, acceptWithinSeconds: "1e9" }))).toBeTruthy();
    expect(await policyState()).toEqual(state);
  });
});

describe("Request.sla", () => {
  it("runs from creation to ACCEPT, then DISPATCH, and stops when the request closes", async () => {
    const request = await medicationRequest({ priority: "STAT" });
    const created = await slaOf(request.id);
    expect(created.sla).toMatchObject({ stage: "ACCEPT", breached: false, breachedAt: null, warnedAt: null });
    expect(Date.parse(created.sla!.dueAt) - Date.parse(created.createdAt)).toBe(300_000);
    expect(await dueSeconds(request.id)).toEqual({ stage: "ACCEPT", seconds: 300 });

    const accepted = await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    expect(await dueSeconds(request.id)).toEqual({ stage: "DISPATCH", seconds: 900 });
    await change(admin, {
      requestId: request.id,
      status: "CANCELLED",
      expectedVersion: accepted.version,
      reasonCode: "DUPLICATE_REQUEST",
    });
    expect((await slaOf(request.id)).sla).toBeNull();
    expect(await dueSeconds(request.id)).toEqual({ stage: null, seconds: null });
  });

  it("is past due as soon as the due time passes", async () => {
    const request = await medicationRequest({ priority: "STAT" });
    await pool.query(`update requests.requests set sla_due_at = now() - interval '1 second' where id = $1`, [
      request.id,
    ]);
    expect((await slaOf(request.id)).sla).toMatchObject({ stage: "ACCEPT", breached: true, breachedAt: null });
  });

  it("keeps an open request's running stage when the policy changes, and times its next stage by the new one", async () => {
    const request = await medicationRequest({ priority: "STAT" });
    await ok(pharmacist, setMutation, {
      input: { ...statMedication, acceptWithinSeconds: 60, dispatchWithinSeconds: 120, deliverWithinSeconds: 180 },
    });
    expect(await dueSeconds(request.id)).toEqual({ stage: "ACCEPT", seconds: 300 });
    const later = await medicationRequest({ priority: "STAT" });
    expect(await dueSeconds(later.id)).toEqual({ stage: "ACCEPT", seconds: 60 });
    await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    expect(await dueSeconds(request.id)).toEqual({ stage: "DISPATCH", seconds: 120 });
    await ok(admin, setMutation, { input: { ...statMedication, ...defaultStat } });
  });
});
