import { defineConfig } from "vitest/config"

/**
 * Three tiers, one run (`npm test` = all of them):
 * - unit: pure domain code, no database, no process;
 * - integration: adapters, projections and programs against real PGlite, PostgreSQL and the local X stand-in;
 * - e2e: whole commands and processes over real data (the compiled CLI, the full archive, the browser).
 * `npm run test:fast` runs unit and integration for the edit-test loop.
 */
const E2E = [
  "test/programs/demo.test.ts",
  "test/programs/report.test.ts",
  "test/programs/train.test.ts",
  "test/programs/import.test.ts",
  "test/programs/regimes.test.ts",
  "test/programs/forecast-cli.test.ts",
  "test/programs/forecast.test.ts",
  "test/programs/ingest.test.ts",
  "test/programs/ingest-kill.test.ts",
  "test/programs/projections-follow.test.ts",
  "test/programs/train-domain.test.ts",
  "test/programs/backtest.test.ts",
  "test/programs/ingest-cli.test.ts",
  "test/programs/redaction.test.ts",
  "test/programs/import-kill.test.ts",
  "test/package.test.ts",
  "test/programs/cli/help.test.ts",
  "test/programs/cli/tty.test.ts",
  "test/programs/serve-process.test.ts",
  "test/programs/serve-e2e.test.ts"
]

const shared = { testTimeout: 60_000, hookTimeout: 60_000 }

export default defineConfig({
  test: {
    // Builds dist/ once per run, so tests that start the CLI as a process run the code under test.
    globalSetup: ["test/support/global-setup.ts"],
    // Pool settings are the run's, not a project's: one pool of two forks (the machine has 2 cores)
    // serves all three tiers. Suites share one PostgreSQL server, but each file makes its own database
    // and temp folders, so files may run in parallel. Files in one fork share its module cache:
    // re-importing effect, PGlite and the models for every file cost more than many tests themselves.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1, isolate: false } },
    projects: [
      { test: { ...shared, name: "unit", include: ["test/domain/**/*.test.ts"] } },
      { test: { ...shared, name: "integration", include: ["test/**/*.test.ts"], exclude: ["test/domain/**", ...E2E] } },
      { test: { ...shared, name: "e2e", include: E2E, testTimeout: 120_000, hookTimeout: 300_000 } }
    ]
  }
})
