/**
 * Writes the values of every Secret the Kubernetes manifests reference, one folder per
 * Secret and one file per key, for `kubectl create secret generic <name> --from-file=<folder>`:
 *
 *   node --import tsx deploy/kubernetes/generate-secrets.ts <folder>
 *
 * - asky-signing-keys: gateway, users, dispensers, requests, reports (each `{"keys":[private
 *   P-256 JWK]}`, what SIGNING_JWKS takes) and trusted (TRUSTED_JWKS: the public keys of
 *   gateway, dispensers, requests and reports, whose internal tokens the subgraphs accept; the
 *   users service needs the last three for /internal/session-status);
 * - asky-database-passwords: users, dispensers, requests, reports (the service roles' passwords);
 * - asky-postgres-superuser: username, password (CloudNativePG's superuser, basic-auth);
 * - asky-metrics: token (METRICS_TOKEN, the bearer token of every service's /metrics);
 * - asky-webhook-secret-keys: reports (WEBHOOK_SECRET_KEYS: `<id>:<base64 of 32 bytes>`, the
 *   AES-256 key webhook secrets are encrypted with at rest; losing it loses every secret).
 *
 * Passwords are hex, so they go into postgres:// URLs as they are. The folder must not exist
 * yet: overwriting keys by accident would sign out every session. Prints no secret.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateSigningJwk, type KeySetFile } from "@asky/auth";
import { isEntryPoint } from "@asky/runtime";

/** The services that sign tokens, and those whose public keys go into TRUSTED_JWKS. */
export const signers = ["gateway", "users", "dispensers", "requests", "reports"] as const;
export const trustedCallers = ["gateway", "dispensers", "requests", "reports"] as const;

export type SecretFiles = Readonly<Record<string, Readonly<Record<string, string>>>>;

const password = () => randomBytes(24).toString("hex");

/** One WEBHOOK_SECRET_KEYS entry; a random id, so a later key for rotation gets another. */
const webhookSecretKey = (prefix: string) =>
  `${prefix}wh-${randomBytes(4).toString("hex")}:${randomBytes(32).toString("base64")}`;

/** Every Secret's keys and values. `kidPrefix` marks keys made for a throw-away cluster. */
export async function generateSecrets(options: { kidPrefix?: string } = {}): Promise<SecretFiles> {
  const prefix = options.kidPrefix ?? "";
  const privateSets: Record<string, KeySetFile> = {};
  for (const service of signers) {
    // The kid names the service (and the prefix), so a log line tells whose key signed a token.
    privateSets[service] = { keys: [await generateSigningJwk(`${prefix}${service}`)] };
  }
  const trusted = Object.fromEntries(
    trustedCallers.map((service) => [
      service,
      { keys: (privateSets[service]?.keys ?? []).map(({ d: _private, ...publicJwk }) => publicJwk) },
    ]),
  );
  return {
    "asky-signing-keys": {
      ...Object.fromEntries(Object.entries(privateSets).map(([service, set]) => [service, JSON.stringify(set)])),
      trusted: JSON.stringify(trusted),
    },
    "asky-database-passwords": {
      users: password(),
      dispensers: password(),
      requests: password(),
      reports: password(),
    },
    "asky-postgres-superuser": { username: "postgres", password: password() },
    "asky-metrics": { token: password() },
    "asky-webhook-secret-keys": { reports: webhookSecretKey(prefix) },
  };
}

async function main(folder: string | undefined): Promise<void> {
  if (!folder) throw new Error("usage: node --import tsx deploy/kubernetes/generate-secrets.ts <new folder>");
  // Fails when the folder exists (no `recursive`): nothing is overwritten.
  await mkdir(folder, { mode: 0o700 });
  const secrets = await generateSecrets();
  for (const [secret, keys] of Object.entries(secrets)) {
    await mkdir(path.join(folder, secret), { mode: 0o700 });
    for (const [key, value] of Object.entries(keys)) {
      await writeFile(path.join(folder, secret, key), value, { mode: 0o600, flag: "wx" });
    }
  }
  console.log(`Wrote ${Object.keys(secrets).join(", ")} under ${folder}. Create them with:`);
  for (const secret of Object.keys(secrets)) {
    // CloudNativePG reads its superuser from a basic-auth Secret.
    const type = secret === "asky-postgres-superuser" ? " --type=kubernetes.io/basic-auth" : "";
    console.log(`  kubectl -n asky create secret generic ${secret} --from-file=${path.join(folder, secret)}${type}`);
  }
  console.log("then keep the folder somewhere safe (or delete it): it holds private keys and passwords.");
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv[2]).catch((error: unknown) => {
    console.error(`[generate-secrets] ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
