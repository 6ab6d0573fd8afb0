import { defineConfig } from "drizzle-kit";

/** `npm run generate -w @asky/db` → SQL migrations for the `requests` service schema only. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/requests.ts",
  out: "./migrations/requests",
  schemaFilter: ["requests"],
  strict: true,
  verbose: true,
});
