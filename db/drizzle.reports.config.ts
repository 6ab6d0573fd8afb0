import { defineConfig } from "drizzle-kit";

/** `npm run generate -w @asky/db` → SQL migrations for the `reports` service schema only. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/reports.ts",
  out: "./migrations/reports",
  schemaFilter: ["reports"],
  strict: true,
  verbose: true,
});
