// npm run compose: rewrites gateway/supergraph.graphql from the subgraphs' schema files.
import { writeFile } from "node:fs/promises";
import { composeSupergraph, supergraphPath } from "../src/compose.js";

const sdl = await composeSupergraph();
await writeFile(supergraphPath, sdl);
console.log(`wrote ${supergraphPath}`);
