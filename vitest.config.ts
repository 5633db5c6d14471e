import { defineConfig } from "vitest/config";

/**
 * Suites: unit (pure), integration on PGlite, integration on a Postgres server, and browser tests.
 * The Postgres suite runs when RESOLVED_TEST_DATABASE_URL is set (scripts/start-test-postgres.sh
 * prints one) and always in CI, where a missing server fails the run instead of skipping it.
 */
const inCi = process.env.CI === "true";
const postgresUrl = process.env.RESOLVED_TEST_DATABASE_URL?.trim();
const runPostgres = inCi || Boolean(postgresUrl);
if (!runPostgres) {
  console.warn(
    "[vitest] integration suite on a Postgres server not run: start one with scripts/start-test-postgres.sh " +
      "and set RESOLVED_TEST_DATABASE_URL to the URL it prints (CI always runs it).",
  );
}

const shared = { testTimeout: 30_000, hookTimeout: 120_000 };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          ...shared,
          name: "integration-pglite",
          include: ["test/integration/**/*.test.ts"],
          env: { RESOLVED_TEST_BACKEND: "pglite" },
        },
      },
      ...(runPostgres
        ? [
            {
              test: {
                ...shared,
                name: "integration-postgres",
                include: ["test/integration/**/*.test.ts"],
                env: {
                  RESOLVED_TEST_BACKEND: "postgres",
                  ...(postgresUrl && { RESOLVED_TEST_DATABASE_URL: postgresUrl }),
                },
              },
            },
          ]
        : []),
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          // One browser at a time: two cores are not enough for parallel Chromium sessions.
          fileParallelism: false,
        },
      },
    ],
  },
});
