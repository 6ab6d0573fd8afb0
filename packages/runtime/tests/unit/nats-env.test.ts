import { describe, expect, it } from "vitest";
import { commonEnv, ConfigError, env, loadConfig } from "../../src/config.js";

const nats = { natsUrls: commonEnv.natsUrls, natsStreamReplicas: commonEnv.natsStreamReplicas };

function problemsOf(source: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(nats, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("NATS_URL", () => {
  it("defaults to one local server, as a list", () => {
    expect(loadConfig(nats, {}).natsUrls).toEqual(["nats://127.0.0.1:4222"]);
    expect(loadConfig(nats, { NATS_URL: "" }).natsUrls).toEqual(["nats://127.0.0.1:4222"]);
  });

  it("takes one server", () => {
    expect(loadConfig(nats, { NATS_URL: "nats://nats:4222" }).natsUrls).toEqual(["nats://nats:4222"]);
  });

  it("takes several members of a cluster, comma-separated, in order, spaces around commas allowed", () => {
    expect(
      loadConfig(nats, { NATS_URL: "nats://nats-0.nats:4222, nats://nats-1.nats:4222 ,tls://nats-2.nats:4222" })
        .natsUrls,
    ).toEqual(["nats://nats-0.nats:4222", "nats://nats-1.nats:4222", "tls://nats-2.nats:4222"]);
  });

  it("checks every entry as a single URL is checked, naming the entry", () => {
    expect(problemsOf({ NATS_URL: "nats://a:4222,http://b:4222" })).toEqual([
      'NATS_URL (entry 2 of "nats://a:4222,http://b:4222") must use nats: or tls:, got "http:"',
    ]);
    expect(problemsOf({ NATS_URL: "nats://a:4222,b:4222:x" }).join("\n")).toMatch(
      /NATS_URL \(entry 2 of .*\) must (be a URL|use nats: or tls:)/,
    );
    expect(problemsOf({ NATS_URL: "not a url" })).toEqual(['NATS_URL must be a URL, got "not a url"']);
  });

  it("refuses an empty entry (a stray or doubled comma) rather than skipping it", () => {
    expect(problemsOf({ NATS_URL: "nats://a:4222,,nats://b:4222" }).join("\n")).toMatch(
      /NATS_URL has an empty entry \(entry 2 of/,
    );
    expect(problemsOf({ NATS_URL: "nats://a:4222," }).join("\n")).toMatch(/NATS_URL has an empty entry/);
  });

  it("leaves the single-URL variable as strict as it was: a list is not one URL", () => {
    const single = env.url("ONE_URL", { description: "one", protocols: ["nats:"] });
    expect(() => single.parse("nats://a:4222,nats://b:4222")).toThrow(/ONE_URL must/);
    expect(single.parse("nats://a:4222")).toBe("nats://a:4222");
  });

  it("checks the default it is declared with", () => {
    expect(() => env.urlList("SOME_URLS", { description: "x", protocols: ["nats:"], default: "http://x" })).toThrow(
      /SOME_URLS must use nats:/,
    );
  });
});

describe("NATS_STREAM_REPLICAS", () => {
  it("defaults to 1 and takes 1 to 5", () => {
    expect(loadConfig(nats, {}).natsStreamReplicas).toBe(1);
    for (const replicas of [1, 2, 3, 4, 5]) {
      expect(loadConfig(nats, { NATS_STREAM_REPLICAS: String(replicas) }).natsStreamReplicas).toBe(replicas);
    }
  });

  it("refuses anything else, saying what it takes", () => {
    for (const raw of ["0", "6", "-1", "2.5", "three"]) {
      expect(problemsOf({ NATS_STREAM_REPLICAS: raw })).toEqual([
        `NATS_STREAM_REPLICAS must be an integer from 1 to 5, got "${raw}"`,
      ]);
    }
  });

  it("says in its description why one would set 3", () => {
    expect(commonEnv.natsStreamReplicas.description).toMatch(/cluster of 3.*one broker down/);
  });
});
