/** The Dockerfile checked without a Docker engine: stages, the pinned Node, what the runtime image holds and runs. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildEntries } from "../../scripts/build/runtime-assets.js";
import { root, dockerfilePath } from "./support/compose-file.js";

describe("Dockerfile", () => {
  const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, "utf8") : "";
  const instructions = dockerfile
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim());

  /** The instructions of each stage, by the stage's name (`FROM ... AS name`). */
  const stages = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of instructions) {
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.set(from[1] ?? `stage-${stages.size}`, (current = []));
    else if (line !== "" && !line.startsWith("#")) current.push(line);
  }
  const runtime = [...stages.values()].at(-1) ?? [];

  it("is multi-stage on the Node release package.json pins", () => {
    expect(dockerfile).not.toBe("");
    expect(stages.size).toBeGreaterThanOrEqual(2);
    const pinned = (JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { devDependencies: { node: string } })
      .devDependencies.node;
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll(".", "\\.")}-bookworm-slim$`, "m"));
    for (const line of dockerfile.split("\n").filter((line) => /^FROM\s/i.test(line))) {
      expect(line).toMatch(/^FROM \$\{NODE_IMAGE\}/);
    }
  });

  it("builds JavaScript in a build stage and runs it with plain node: no tsx, no TypeScript", () => {
    const build = stages.get("build") ?? [];
    expect(build.some((line) => /^RUN\s.*\bnpm run build\b/.test(line))).toBe(true);
    const commands = instructions.filter((line) => /^(CMD|ENTRYPOINT)\s/i.test(line));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(command).not.toMatch(/tsx|\.ts\b/);
      const [file] = (JSON.parse(command.replace(/^\S+\s+/, "")) as string[]).slice(1);
      expect(buildEntries.map((entry) => `${entry.name}.js`)).toContain(file);
    }
    expect(runtime.join("\n")).not.toMatch(/tsx/);
  });

  it("installs no dependency in the image it runs: the runtime stage only copies the build's output", () => {
    expect(runtime.filter((line) => /\bnpm\b|\bnpx\b/.test(line))).toEqual([]);
    const copies = runtime.filter((line) => /^COPY\s/i.test(line));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy).toMatch(/^COPY --from=build\s/);
    expect(runtime.some((line) => /^ENV\s.*--enable-source-maps/.test(line))).toBe(true);
  });

  it("installs dependencies with npm ci from the lockfile", () => {
    expect(instructions.some((line) => /^RUN\s.*\bnpm ci\b/.test(line))).toBe(true);
    expect(instructions.some((line) => /^RUN\s.*\bnpm install\b/.test(line))).toBe(false);
    expect(existsSync(`${root}/package-lock.json`)).toBe(true);
  });

  it("runs as a non-root user in production mode", () => {
    const user = instructions.filter((line) => /^USER\s/i.test(line)).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)(:|\s|$)/i);
    expect(dockerfile).toMatch(/^ENV\s.*\bNODE_ENV=production\b/m);
  });

  it("keeps local installs, data and git out of the build context", () => {
    const ignored = readFileSync(`${root}/.dockerignore`, "utf8")
      .split("\n")
      .map((line) => line.trim());
    for (const pattern of ["**/node_modules", "**/.data", ".git"]) expect(ignored).toContain(pattern);
  });
});
