import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFaultProxy } from '@startup/fault-proxy';
import { addressOf, eventually, natsUrl } from '@startup/test-kit';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * An application using the plugin, as bundled for production: one blackholed start attempt, then what is
 * still open 100 ms after it failed. It exits by itself only when no socket keeps it alive.
 */
const application = `
import { createStartup } from '@startup/core';
import { nats } from '../src/index.js';
const servers = \`nats://127.0.0.1:\${process.argv[2]}\`;
const app = createStartup([nats({ servers, connectTimeoutMs: 300 })], { defaults: { retry: false } });
const failure = await app.start().then(() => undefined, (error) => error);
await new Promise((resolve) => setTimeout(resolve, 100));
const sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
console.log(JSON.stringify({ code: failure?.failures?.[0]?.cause?.code, sockets }));
`;

/** `application` bundled and minified with esbuild, as a file in a fresh directory. */
async function bundleApplication(dir: string): Promise<{ file: string; code: string }> {
  const result = await build({
    stdin: { contents: application, resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // nats.js is CommonJS: give its require() calls of Node modules a require.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const file = join(dir, 'app.mjs');
  await writeFile(file, code);
  return { file, code };
}

describe('nats() bundled and minified', () => {
  it('leaves no socket behind a blackholed start, though no class or function keeps its name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'startup-nats-bundle-'));
    const proxy = await createFaultProxy({ target: addressOf(natsUrl) });
    try {
      proxy.blackhole();
      const { file, code } = await bundleApplication(dir);
      // The premise: minification renamed nats.js' transport class, so no stack frame names it.
      expect(code).not.toMatch(/class NodeTransport\b/);
      const child = await run(process.execPath, [file, String(proxy.port)], { timeout: 5_000 }).then(
        ({ stdout }) => ({ stdout, exitedByItself: true }),
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? '', exitedByItself: false }),
      );
      expect(JSON.parse(child.stdout)).toEqual({ code: 'STARTUP_ERR_NATS_UNAVAILABLE', sockets: 0 });
      expect(child.exitedByItself).toBe(true);
      expect(proxy.accepted).toBe(1);
      await eventually(() => proxy.connections === 0);
    } finally {
      await proxy.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
