import { subgraphEnv } from "@asky/service";
import { usersUrlEnv } from "@asky/auth";
import { env, type ConfigOf } from "@asky/runtime";
import { allowanceEnv } from "./webhooks/allowance.js";
import { secretKeysEnv } from "./webhooks/secret-keys.js";

export const reportsEnv = {
  ...subgraphEnv("reports"),
  usersUrl: usersUrlEnv,
  webhookAllowedHosts: allowanceEnv("WEBHOOK_ALLOWED_HOSTS"),
  webhookSecretKeys: secretKeysEnv("WEBHOOK_SECRET_KEYS"),
  webhookMaxAttempts: env.int("WEBHOOK_MAX_ATTEMPTS", {
    description: "Attempts to deliver one event to one webhook before the delivery is FAILED",
    default: 8,
    min: 1,
    max: 30,
  }),
  webhookRetryBaseMs: env.int("WEBHOOK_RETRY_BASE_MS", {
    description:
      "Wait before the second attempt of a webhook delivery; doubled after each failure (with jitter), at most an hour",
    default: 10_000,
    min: 10,
    max: 3_600_000,
  }),
  webhookTimeoutMs: env.int("WEBHOOK_TIMEOUT_MS", {
    description: "Time one webhook attempt may take, connection to the end of the answer",
    default: 10_000,
    min: 100,
    max: 60_000,
  }),
};

export type ReportsConfig = ConfigOf<typeof reportsEnv>;
