import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import sibling packages from their sources, so no build is needed to test.
// Each package's `dist.test.ts` imports its built output on purpose.
// Fails a test file in which code of ours made Node print a process warning, on whichever Node runs it.
const setupFiles = [`${root}scripts/vitest/own-warnings.ts`];

const alias = [
  { find: /^@startup\/core\/plugin-kit$/, replacement: `${root}packages/core/src/plugin-kit.ts` },
  { find: /^@startup\/test-kit\/clock$/, replacement: `${root}packages/test-kit/src/clock.ts` },
  {
    find: /^@startup\/(core|monitor|postgres|redis|nats|fault-proxy|test-kit|probes|fastify|mysql|amqp|mqtt|http)$/,
    replacement: `${root}packages/$1/src/index.ts`,
  },
];

// Peer matrix: each extra major a connector's peer range admits runs that connector's tests again, the
// client library swapped in by an alias (installed side by side, e.g. `ioredis6: npm:ioredis@^6`).
const peerMatrix = [
  { name: 'redis-ioredis6', connector: 'redis', peer: 'ioredis', alias: 'ioredis6', major: '6' },
];
const peerProjects = peerMatrix.map(({ name, connector, peer, alias: installedAs, major }) => ({
  resolve: {
    alias: [
      ...alias,
      {
        find: new RegExp(`^${peer}$`),
        replacement: createRequire(`${root}packages/${connector}/package.json`).resolve(installedAs),
      },
    ],
  },
  test: {
    name,
    setupFiles,
    include: [`packages/${connector}/src/**/*.test.ts`, `packages/${connector}/test/**/*.int.test.ts`],
    exclude: ['**/node_modules/**'],
    env: { STARTUP_PEER_PACKAGE: installedAs, STARTUP_PEER_MAJOR: major },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
}));

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          setupFiles,
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
          setupFiles,
          include: ['packages/*/test/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          setupFiles,
          include: ['apps/*/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      ...peerProjects,
    ],
  },
});
