/** The three reports as the tests ask for them through the gateway, over one period. */
import type { GraphQLClient } from "@asky/stack/testing";

export const TURNAROUND = `query($from: DateTime!, $to: DateTime!) {
  turnaround(from: $from, to: $to, groupBy: [PRIORITY]) {
    group { priority } requests
    accepted { count p50Minutes p90Minutes p95Minutes }
    dispatched { count p50Minutes p90Minutes p95Minutes }
    delivered { count p50Minutes p90Minutes p95Minutes }
    withinSla
  }
}`;
export const FILL_RATE = `query($from: DateTime!, $to: DateTime!) {
  fillRate(from: $from, to: $to, groupBy: [WARD]) { group { ward } linesRequested linesFilled fillRate }
}`;
export const CONSUMPTION = `query($from: DateTime!, $to: DateTime!) {
  consumption(from: $from, to: $to, groupBy: [WARD, ITEM]) { group { ward itemId } quantity cost requests }
}`;

export type Stage = { count: number; p50Minutes: number | null; p90Minutes: number | null; p95Minutes: number | null };
export interface Figures {
  turnaround: { group: { priority: string }; requests: number; accepted: Stage; dispatched: Stage; delivered: Stage }[];
  fillRate: { group: { ward: string }; linesRequested: number; linesFilled: number; fillRate: number | null }[];
  consumption: { group: { ward: string; itemId: string }; quantity: number; cost: string; requests: number }[];
}

/** The three reports over [from, to), as `client` sees them. */
export async function figuresOf(client: GraphQLClient, from: Date, to: Date): Promise<Figures> {
  const variables = { from: from.toISOString(), to: to.toISOString() };
  const [turnaround, fillRate, consumption] = await Promise.all([
    client.ok<Pick<Figures, "turnaround">>(TURNAROUND, variables),
    client.ok<Pick<Figures, "fillRate">>(FILL_RATE, variables),
    client.ok<Pick<Figures, "consumption">>(CONSUMPTION, variables),
  ]);
  return { ...turnaround, ...fillRate, ...consumption };
}
