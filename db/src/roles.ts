import pg from "pg";
import { DEFAULT_STATEMENT_TIMEOUT_MS } from "@asky/runtime";
import { devPassword, migrationsSchema, serviceNames, serviceRole, type ServiceName } from "./services.js";

/** Schema holding shared extensions (pg_trgm); usable, not writable, by the service roles. */
export const extensionsSchema = "extensions";

/** Advisory lock key (namespace) so concurrent bootstraps do not race on CREATE ROLE. */
const BOOTSTRAP_LOCK = "asky:bootstrap-roles";

/**
 * Creates (idempotently) one LOGIN role and two schemas per service, as a superuser:
 *
 * - role `asky_<service>` (NOSUPERUSER NOCREATEDB NOCREATEROLE), password set on every run so an
 *   override takes effect; default dev passwords `asky_<service>_dev`;
 * - schemas `<service>` and `drizzle_<service>` owned by that role (nobody else gets USAGE);
 * - `pg_trgm` in schema `extensions` (the catalog search index uses `gin_trgm_ops`);
 * - `search_path = <service>, extensions` for the role;
 * - `statement_timeout` for the role (`options.statementTimeoutMs`, default 5 s), so that every
 *   session of it, the service's pool or a console, has one; migrations and the seed, which
 *   connect as the role, lift it for their own sessions;
 * - PUBLIC loses every privilege on the database and on schema `public`; each role gets back
 *   CONNECT and CREATE on the database. CREATE is needed because drizzle's migrator always runs
 *   `CREATE SCHEMA IF NOT EXISTS drizzle_<service>` and Postgres checks the database CREATE
 *   privilege even when the schema exists. It lets a role create *new* schemas, never use or
 *   alter another role's schema, so services stay isolated.
 *
 * Run it against a database dedicated to Asky (it revokes PUBLIC's CONNECT on it).
 * `gen_random_uuid()` is built into Postgres 13+, so pgcrypto is not needed.
 *
 * @returns a connection URL per service: `adminUrl` with that role's user and password.
 */
export async function bootstrapRoles(
  adminUrl: string,
  passwords: Partial<Record<ServiceName, string>> = {},
  options: { statementTimeoutMs?: number } = {},
): Promise<Record<ServiceName, string>> {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  if (!Number.isInteger(statementTimeoutMs) || statementTimeoutMs < 0) {
    throw new Error(
      `bootstrapRoles: statementTimeoutMs must be a whole number of milliseconds, got ${statementTimeoutMs}`,
    );
  }
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const id = (name: string) => client.escapeIdentifier(name);
  const lit = (value: string) => client.escapeLiteral(value);
  const resolved = {} as Record<ServiceName, string>;
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [BOOTSTRAP_LOCK]);
    try {
      const { rows } = await client.query<{ db: string; version: number }>(
        "SELECT current_database() AS db, current_setting('server_version_num')::int AS version",
      );
      const info = rows[0];
      if (!info) throw new Error("bootstrapRoles: cannot read server settings");
      if (info.version < 130000) throw new Error("bootstrapRoles: Postgres 13+ is required (gen_random_uuid)");
      const database = id(info.db);

      // Extensions first: if pg_trgm already exists somewhere, use that schema.
      const ext = await client.query<{ schema: string }>(
        "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
      );
      let trgmSchema = ext.rows[0]?.schema;
      if (!trgmSchema) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${id(extensionsSchema)}`);
        await client.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA ${id(extensionsSchema)}`);
        trgmSchema = extensionsSchema;
      }

      await client.query(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
      await client.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);

      for (const service of serviceNames) {
        const role = serviceRole(service);
        const password = passwords[service] ?? devPassword(service);
        resolved[service] = password;
        const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
        const attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";
        if (exists.rowCount === 0) {
          await client.query(`CREATE ROLE ${id(role)} ${attributes} PASSWORD ${lit(password)}`);
        } else {
          await client.query(`ALTER ROLE ${id(role)} ${attributes} PASSWORD ${lit(password)}`);
        }
        await client.query(`GRANT CONNECT, CREATE ON DATABASE ${database} TO ${id(role)}`);
        for (const schema of [service, migrationsSchema(service)]) {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${id(schema)} AUTHORIZATION ${id(role)}`);
          await client.query(`ALTER SCHEMA ${id(schema)} OWNER TO ${id(role)}`);
          await client.query(`REVOKE ALL ON SCHEMA ${id(schema)} FROM PUBLIC`);
        }
        await client.query(`GRANT USAGE ON SCHEMA ${id(trgmSchema)} TO ${id(role)}`);
        await client.query(
          `ALTER ROLE ${id(role)} IN DATABASE ${database} SET search_path = ${id(service)}, ${id(trgmSchema)}`,
        );
        await client.query(
          `ALTER ROLE ${id(role)} IN DATABASE ${database} SET statement_timeout = ${statementTimeoutMs}`,
        );
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [BOOTSTRAP_LOCK]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }

  const urls = {} as Record<ServiceName, string>;
  for (const service of serviceNames) {
    urls[service] = serviceUrl(adminUrl, serviceRole(service), resolved[service]);
  }
  return urls;
}

/** `adminUrl` with another user and password (host, port, database and query kept). */
export function serviceUrl(adminUrl: string, user: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}
