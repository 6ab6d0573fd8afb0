import { defineConfig } from "drizzle-kit";

/** `npm run generate -w @asky/db` → SQL migrations for the `users` service schema only. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/users.ts",
  out: "./migrations/users",
  schemaFilter: ["users"],
  strict: true,
  verbose: true,
});
