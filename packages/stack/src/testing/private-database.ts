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

/** Creates the database with the service roles, `service`'s migrations and, if asked, its demo data. */
export async function privateDatabase(
  service: ServiceName,
  options: { seed?: boolean } = {},
): Promise<PrivateDatabase> {
  const name = `asky_${service.slice(0, 3)}_${randomBytes(4).toString("hex")}`;
  const stackAdmin = inject("adminDatabaseUrl");
  const admin = new pg.Client({ connectionString: stackAdmin });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const adminUrl = new URL(stackAdmin);
  adminUrl.pathname = `/${name}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: stackAdmin });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
  try {
    // Roles are cluster-wide: keep the passwords the stack's services log in with.
    const passwords = {} as Record<ServiceName, string>;
    for (const each of serviceNames)
      passwords[each] = decodeURIComponent(new URL(inject("serviceDatabaseUrls")[each]).password);
    const urls = await bootstrapRoles(adminUrl.toString(), passwords);
    await migrateService(service, urls[service]);
    if (options.seed) await seedService(service, urls[service]);
    return { serviceUrl: urls[service], adminUrl: adminUrl.toString(), drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
