import { defineConfig } from "drizzle-kit";

/** `npm run generate -w @asky/db` → SQL migrations for the `dispensers` service schema only. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/dispensers.ts",
  out: "./migrations/dispensers",
  schemaFilter: ["dispensers"],
  strict: true,
  verbose: true,
});
