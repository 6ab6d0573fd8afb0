import { env, type ConfigOf } from "@asky/runtime";
import { subgraphEnv } from "@asky/service";
import { usersUrlEnv } from "@asky/auth";
import { defaultGraphqlUrl, serviceRegistry } from "@asky/contracts";

export const requestsEnv = {
  ...subgraphEnv("requests"),
  dispensersUrl: env.url(serviceRegistry.dispensers.urlEnvVar, {
    description: "GraphQL endpoint of the dispensers subgraph, asked about cabinets and catalog items",
    protocols: ["http:", "https:"],
    default: defaultGraphqlUrl("dispensers"),
  }),
  usersUrl: usersUrlEnv,
  slaWarningPercent: env.int("SLA_WARNING_PERCENT", {
    description: "Share of a stage's window, in percent, after which the turnaround clock warns (SLA_WARNING)",
    default: 80,
    min: 1,
    max: 99,
  }),
  slaClockIntervalMs: env.int("SLA_CLOCK_INTERVAL_MS", {
    description:
      "How often the turnaround clock looks for due warnings and breaches, and a replica without the clock's lease tries to take it over, in milliseconds",
    default: 1000,
    min: 100,
    max: 60_000,
  }),
};

export type RequestsConfig = ConfigOf<typeof requestsEnv>;
