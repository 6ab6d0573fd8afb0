import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ServiceName } from "@asky/db";

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
    ["users", "dispensers", "requests"].every(
      (name) => typeof (v.servicePasswords as Record<string, unknown>)[name] === "string",
    )
  );
}

/** Reads `<file>`, creating it (mode 600) with fresh random passwords when missing. */
export async function loadOrCreateSecrets(file: string): Promise<StackSecrets> {
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (isSecrets(parsed)) return parsed;
  }
  const secrets: StackSecrets = {
    postgresPassword: generate(),
    servicePasswords: { users: generate(), dispensers: generate(), requests: generate() },
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secrets;
}
