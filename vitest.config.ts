import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing';

// One runner for every layer. Each layer is a vitest project so `npm test -- --project e2e` runs one.
// - unit: node, WXT's fake browser and fake-indexeddb (node only; the browser layers use the real ones)
// - contracts: the in-process Hardhat network
// - integration: real local processes (Hardhat node, relay) started by the tests
// - e2e: the built extension in the system Chromium, driven through playwright-core
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // The unit layer shares 2 cores with the contract and integration layers in CI: a generous
          // limit so a busy machine never fails a test (no test asserts on time).
          testTimeout: 30_000,
          setupFiles: ['fake-indexeddb/auto'],
          server: { deps: { inline: [/@xmtp\//] } },
        },
      },
      {
        test: {
          name: 'contracts',
          include: ['test/contracts/**/*.test.ts'],
          setupFiles: ['test/contracts/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          server: { deps: { inline: [/@xmtp\//] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Browsers are heavy on a 2-core machine: one e2e file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
