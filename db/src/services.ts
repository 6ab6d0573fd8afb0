import { subgraphNames, type SubgraphName } from "@asky/contracts";

/** The services that own a Postgres schema each: every subgraph of the service registry. */
export const serviceNames = subgraphNames;

export type ServiceName = SubgraphName;

export function isServiceName(value: string): value is ServiceName {
  return (serviceNames as readonly string[]).includes(value);
}

/** Login role that owns the service's schema and is the only one allowed in it. */
export function serviceRole(service: ServiceName): string {
  return `asky_${service}`;
}

/** Schema holding drizzle's `__drizzle_migrations` table for a service (never the service schema itself). */
export function migrationsSchema(service: ServiceName): string {
  return `drizzle_${service}`;
}

/** Default development password of a service role (overridable in `bootstrapRoles`). */
export function devPassword(service: ServiceName): string {
  return `asky_${service}_dev`;
}
