import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import sibling packages from their sources, so no build is needed to test.
// Each package's `dist.test.ts` imports its built output on purpose.
const alias = [
  { find: /^@startup\/core\/plugin-kit$/, replacement: `${root}packages/core/src/plugin-kit.ts` },
  { find: /^@startup\/test-kit\/clock$/, replacement: `${root}packages/test-kit/src/clock.ts` },
  {
    find: /^@startup\/(core|monitor|postgres|redis|nats|fault-proxy|test-kit|probes|fastify|mysql|amqp|mqtt|http)$/,
    replacement: `${root}packages/$1/src/index.ts`,
  },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          typecheck: {
            enabled: true,
            include: ['packages/*/src/**/*.test-d.ts', 'packages/*/test/**/*.test-d.ts'],
            tsconfig: './tsconfig.test.json',
          },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['apps/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
