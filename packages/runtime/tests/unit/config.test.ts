import { describe, expect, it } from "vitest";
import { ConfigError, env, loadConfig } from "../../src/config.js";

const spec = {
  port: env.port("PORT", { description: "port", default: 4000 }),
  databaseUrl: env.url("DATABASE_URL", { description: "db", protocols: ["postgres:"] }),
  level: env.oneOf("LEVEL", ["a", "b"], { description: "level", default: "a" }),
};

describe("loadConfig", () => {
  it("applies defaults and parses values", () => {
    expect(loadConfig(spec, { DATABASE_URL: "postgres://u:p@h/db", PORT: "4100" })).toEqual({
      port: 4100,
      databaseUrl: "postgres://u:p@h/db",
      level: "a",
    });
  });

  it("lists every problem at once", () => {
    let caught: unknown;
    try {
      loadConfig(spec, { PORT: "70000", LEVEL: "c" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/PORT must be a TCP port/);
    expect(problems.join("\n")).toMatch(/DATABASE_URL is required/);
    expect(problems.join("\n")).toMatch(/LEVEL must be one of a, b/);
  });

  it("rejects a URL with the wrong protocol", () => {
    expect(() => loadConfig(spec, { DATABASE_URL: "http://h/db" })).toThrow(/DATABASE_URL must use postgres:/);
  });
});
