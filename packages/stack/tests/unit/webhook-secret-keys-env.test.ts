/**
 * The local stack's reports service keeps its webhook secret key in the stack's key folder:
 * keys exported in the developer's shell (say production's) never reach it, and a test that
 * configures keys for it explicitly still can.
 */
import { describe, expect, it } from "vitest";
import { serviceEnv, type ServiceEnvContext } from "../../src/services.js";

const ctx: ServiceEnvContext = {
  host: "127.0.0.1",
  ports: { gateway: 4000, users: 4001, dispensers: 4002, requests: 4003, reports: 4004 },
  serviceDatabaseUrls: {
    users: "postgres://u@127.0.0.1/asky",
    dispensers: "postgres://d@127.0.0.1/asky",
    requests: "postgres://r@127.0.0.1/asky",
    reports: "postgres://rp@127.0.0.1/asky",
  },
  natsUrl: "nats://127.0.0.1:4222",
  nodeEnv: "development",
  logLevel: "info",
  supergraphPath: "/tmp/supergraph.graphql",
  keysDir: "/tmp/asky-keys",
  metricsToken: "token",
};

describe("WEBHOOK_SECRET_KEYS in the stack's environment", () => {
  it("is not inherited from the shell: the service uses the stack's key folder", () => {
    const env = serviceEnv("reports", ctx, {}, { WEBHOOK_SECRET_KEYS: "prod:c2VjcmV0", PATH: "/bin" });
    expect(env["WEBHOOK_SECRET_KEYS"]).toBeUndefined();
    expect(env["ASKY_KEYS_DIR"]).toBe("/tmp/asky-keys");
    expect(env["PATH"]).toBe("/bin");
  });

  it("is what a test gives the service explicitly", () => {
    const env = serviceEnv("reports", ctx, { WEBHOOK_SECRET_KEYS: "test:a2V5" }, { WEBHOOK_SECRET_KEYS: "shell:eA==" });
    expect(env["WEBHOOK_SECRET_KEYS"]).toBe("test:a2V5");
  });
});
