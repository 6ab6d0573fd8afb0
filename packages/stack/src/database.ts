import type { ServiceName } from "@asky/db";
import type { LogSink } from "./log.js";

/** The part of @asky/db the stack drives (an interface so tests can substitute it). */
export interface DatabaseOps {
  serviceNames: readonly ServiceName[];
  bootstrapRoles(
    adminUrl: string,
    passwords?: Partial<Record<ServiceName, string>>,
    options?: { statementTimeoutMs?: number },
  ): Promise<Record<ServiceName, string>>;
  migrateService(service: ServiceName, serviceUrl: string): Promise<void>;
  seedService(service: ServiceName, serviceUrl: string): Promise<boolean>;
}

export interface PreparedDatabase {
  serviceDatabaseUrls: Record<ServiceName, string>;
  /** Per service: true when demo data was inserted now, false when data already existed. */
  seeded: Record<ServiceName, boolean>;
}

export async function loadDatabaseOps(): Promise<DatabaseOps> {
  return await import("@asky/db");
}

/** Roles and schemas, then migrations, then demo seed, service by service. */
export async function prepareDatabase(
  db: DatabaseOps,
  adminUrl: string,
  passwords: Record<ServiceName, string>,
  log: LogSink,
): Promise<PreparedDatabase> {
  // The services read DB_STATEMENT_TIMEOUT_MS from the environment they inherit (and refuse a
  // bad one); their roles get the same, or bootstrapRoles' default, as theirs.
  const timeout = process.env.DB_STATEMENT_TIMEOUT_MS;
  const serviceDatabaseUrls = await db.bootstrapRoles(
    adminUrl,
    passwords,
    timeout ? { statementTimeoutMs: Number(timeout) } : {},
  );
  for (const service of db.serviceNames) {
    await db.migrateService(service, serviceDatabaseUrls[service]);
  }
  log("stack", `migrated ${db.serviceNames.join(", ")}`, "stdout");
  const seeded = {} as Record<ServiceName, boolean>;
  for (const service of db.serviceNames) {
    seeded[service] = await db.seedService(service, serviceDatabaseUrls[service]);
    log("stack", `${service}: ${seeded[service] ? "seeded demo data" : "data present, not reseeded"}`, "stdout");
  }
  return { serviceDatabaseUrls, seeded };
}
