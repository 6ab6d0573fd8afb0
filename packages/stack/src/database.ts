import type { ServiceName } from "@asky/db";
import type { LogSink } from "./log.js";

/** The part of @asky/db the stack drives (an interface so tests can substitute it). */
export interface DatabaseOps {
  serviceNames: readonly ServiceName[];
  bootstrapRoles(adminUrl: string, passwords?: Partial<Record<ServiceName, string>>): Promise<Record<ServiceName, string>>;
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
  const serviceDatabaseUrls = await db.bootstrapRoles(adminUrl, passwords);
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
