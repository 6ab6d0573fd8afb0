/**
 * A database of its own in the test stack's Postgres cluster, for tests that must break what
 * the shared stack relies on: its outbox is published by no relay of the stack (which holds
 * the shared database's relay lock), so a private service with a private nats-server
 * publishes it instead.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { bootstrapRoles, migrateService, seedService, serviceNames, type ServiceName } from "@asky/db";

export interface PrivateDatabase {
  /** The service role's URL, as the service itself connects. */
  readonly serviceUrl: string;
  /** The cluster admin's URL of this database, for assertions. */
  readonly adminUrl: string;
  drop(): Promise<void>;
}

export interface EmptyDatabase {
  /** The cluster admin's URL of this database. */
  readonly adminUrl: string;
  drop(): Promise<void>;
}

async function asStackAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await client.connect();
  await client.query(statement);
  await client.end();
}

/** Creates a database with nothing in it, named `${prefix}_` and a random suffix. */
export async function emptyDatabase(prefix: string): Promise<EmptyDatabase> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  await asStackAdmin(`create database ${name}`);
  const adminUrl = new URL(inject("adminDatabaseUrl"));
  adminUrl.pathname = `/${name}`;
  return { adminUrl: adminUrl.toString(), drop: () => asStackAdmin(`drop database if exists ${name} with (force)`) };
}

/**
 * The passwords the stack's services log in with. Roles are cluster-wide: bootstrapping the
 * roles in another database must keep them.
 */
export function stackRolePasswords(): Record<ServiceName, string> {
  const passwords = {} as Record<ServiceName, string>;
  for (const each of serviceNames)
    passwords[each] = decodeURIComponent(new URL(inject("serviceDatabaseUrls")[each]).password);
  return passwords;
}

/** Creates the database with the service roles, `service`'s migrations and, if asked, its demo data. */
export async function privateDatabase(
  service: ServiceName,
  options: { seed?: boolean } = {},
): Promise<PrivateDatabase> {
  const { adminUrl, drop } = await emptyDatabase(`asky_${service.slice(0, 3)}`);
  try {
    const urls = await bootstrapRoles(adminUrl, stackRolePasswords());
    await migrateService(service, urls[service]);
    if (options.seed) await seedService(service, urls[service]);
    return { serviceUrl: urls[service], adminUrl, drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
