/**
 * A webhook row written straight into the database (past the API's checks) must hold its
 * secret as the service stores it: sealed with the test stack's key, which the stack's
 * reports service generated in the shared key folder.
 */
import { inject } from "vitest";
import { sealSecret } from "../src/webhooks/secret-box.js";
import { loadSecretKeyring } from "../src/webhooks/secret-keys.js";

export function sealedForStack(webhookId: string, secret: string): string {
  const keys = loadSecretKeyring({ configured: null, production: false, keysDir: inject("keysDir") });
  return sealSecret(keys, webhookId, secret);
}
