import { describe, expect, it } from 'vitest';
import { loadClientLibrary } from './client-library.js';
import { isStartupError } from './errors.js';

const where = { plugin: 'cache', package: 'some-client' };

describe('loadClientLibrary', () => {
  it("returns an ES module's namespace as it is", async () => {
    const namespace = { Client: class {} };
    expect(await loadClientLibrary(async () => namespace, 'Client', where)).toBe(namespace);
  });

  it("returns a CommonJS module's exports a bundler wrapped under default", async () => {
    const exports = { Client: class {} };
    const namespace = { default: exports } as { default: typeof exports; Client?: unknown };
    expect(await loadClientLibrary(async () => namespace, 'Client', where)).toBe(exports);
  });

  it('returns a CommonJS module.exports that is a function carrying the names', async () => {
    const exports = Object.assign(function Client() {}, { Client: class {} });
    const namespace = { default: exports } as { default: typeof exports; Client?: unknown };
    expect(await loadClientLibrary(async () => namespace, 'Client', where)).toBe(exports);
  });

  it('rejects a library that cannot be loaded with a permanent error naming the plugin and the package', async () => {
    const missing = Object.assign(new Error("Cannot find package 'some-client'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadClientLibrary(() => Promise.reject(missing), 'Client', where).catch((e) => e);
    expect(isStartupError(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'STARTUP_ERR_PLUGIN_FAILED',
      plugin: 'cache',
      retryable: false,
      cause: missing,
    });
    expect(error.message).toContain('some-client');
  });

  it('calls a loader that succeeded only once, and one that failed again', async () => {
    const namespace = { Client: class {} };
    let calls = 0;
    const load = async () => {
      calls += 1;
      if (calls === 1) throw new Error("Cannot find package 'some-client'");
      return namespace;
    };
    await expect(loadClientLibrary(load, 'Client', where)).rejects.toMatchObject({
      code: 'STARTUP_ERR_PLUGIN_FAILED',
    });
    expect(await loadClientLibrary(load, 'Client', where)).toBe(namespace);
    expect(await loadClientLibrary(load, 'Client', where)).toBe(namespace);
    expect(calls).toBe(2);
  });
});
