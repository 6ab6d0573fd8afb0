import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { serviceNames, type ServiceName } from "@asky/db";

/**
 * Passwords of the local stack, generated on first start and kept in the data folder so a
 * restarted stack reuses the same Postgres cluster and roles. Never used in production.
 */
export interface StackSecrets {
  postgresPassword: string;
  servicePasswords: Record<ServiceName, string>;
}

function generate(): string {
  return randomBytes(24).toString("base64url");
}

function isSecrets(value: unknown): value is StackSecrets {
  const v = value as Partial<StackSecrets> | null;
  return (
    typeof v?.postgresPassword === "string" &&
    typeof v.servicePasswords === "object" &&
    v.servicePasswords !== null &&
    Object.values(v.servicePasswords as Record<string, unknown>).every((password) => typeof password === "string")
  );
}

/** Passwords of services added since the file was written are generated; the others are kept. */
function withEveryService(secrets: StackSecrets): { secrets: StackSecrets; added: boolean } {
  const missing = serviceNames.filter((name) => typeof secrets.servicePasswords[name] !== "string");
  if (missing.length === 0) return { secrets, added: false };
  const added = Object.fromEntries(missing.map((name) => [name, generate()]));
  return { secrets: { ...secrets, servicePasswords: { ...secrets.servicePasswords, ...added } }, added: true };
}

async function write(file: string, secrets: StackSecrets): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** Reads `<file>`, creating it (mode 600) with fresh random passwords when missing. */
export async function loadOrCreateSecrets(file: string): Promise<StackSecrets> {
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (isSecrets(parsed)) {
      const complete = withEveryService(parsed);
      if (complete.added) await write(file, complete.secrets);
      return complete.secrets;
    }
  }
  const secrets: StackSecrets = {
    postgresPassword: generate(),
    servicePasswords: Object.fromEntries(serviceNames.map((name) => [name, generate()])) as Record<ServiceName, string>,
  };
  await write(file, secrets);
  return secrets;
}
