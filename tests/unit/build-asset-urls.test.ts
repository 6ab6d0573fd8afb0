/**
 * The build's rewrite of `new URL(..., import.meta.url)` (scripts/build/asset-urls.ts): every
 * bundle and chunk sits at the build folder's top, so a file's URL becomes the path the build
 * mirrors it to, and any URL the rewrite cannot follow fails the build.
 */
import { describe, expect, it } from "vitest";
import { rewriteAssetUrls } from "../../scripts/build/asset-urls.js";

const repo = "/repo";

describe("rewriteAssetUrls", () => {
  it("points a literal URL at the file's place in the build", () => {
    const { contents, assets } = rewriteAssetUrls(
      'const schema = new URL("../schema.graphql", import.meta.url);',
      "/repo/subgraphs/users/src/index.ts",
      repo,
    );
    expect(contents).toBe('const schema = new URL("./subgraphs/users/schema.graphql", import.meta.url);');
    expect(assets).toEqual([
      {
        target: "/repo/subgraphs/users/schema.graphql",
        mirrored: "subgraphs/users/schema.graphql",
        importer: "/repo/subgraphs/users/src/index.ts",
      },
    ]);
  });

  it("rebases the folder a template URL starts with and keeps its substitution", () => {
    const { contents, assets } = rewriteAssetUrls(
      "return fileURLToPath(new URL(`../migrations/${service}`, import.meta.url));",
      "/repo/db/src/migrate.ts",
      repo,
    );
    expect(contents).toBe("return fileURLToPath(new URL(`./db/migrations/${service}`, import.meta.url));");
    expect(assets.map((asset) => asset.mirrored)).toEqual(["db/migrations"]);
  });

  it("leaves a file without such URLs as it is", () => {
    const source = "export const isMain = process.argv[1] === import.meta.url;";
    expect(rewriteAssetUrls(source, "/repo/scripts/x.ts", repo)).toEqual({ contents: source, assets: [] });
  });

  it("refuses a URL outside the repository, and one built in a way it cannot follow", () => {
    expect(() => rewriteAssetUrls('new URL("../../../etc/passwd", import.meta.url)', "/repo/a/b.ts", repo)).toThrow(
      /outside the repository/,
    );
    expect(() => rewriteAssetUrls("new URL(name, import.meta.url)", "/repo/a/b.ts", repo)).toThrow(/cannot rewrite/);
    expect(() => rewriteAssetUrls("new URL(`file-${n}.txt`, import.meta.url)", "/repo/a/b.ts", repo)).toThrow(
      /must name a folder/,
    );
  });
});
