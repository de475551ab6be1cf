import { createStartup, describeError, isStartupError } from '@startup/core';
import { createFaultProxy, type FaultProxy } from '@startup/fault-proxy';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectors, hostileUrl, secret, withExtraKeys } from './connector-arbitraries.js';
import { crashIn, within } from './crash-in.js';
import { rejectionProblem } from './named-field.js';
import { sleep, waitFor } from './wait-for.js';

// Each connector's options, hostile: accepted or rejected with a StartupError naming the field, never a
// crash, a hang, or a connection made by a rejected configuration. Accepted ones really start against the
// real server through a fault proxy, and leave nothing behind.

const proxies = new Map<string, FaultProxy>();

beforeAll(async () => {
  for (const connector of connectors) {
    proxies.set(connector.label, await createFaultProxy({ target: connector.target }));
  }
});

afterAll(async () => {
  await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
});

/** Short start policy: any accepted configuration settles within a second. */
const startPolicy = { deadlineMs: 1_000, defaults: { retry: { initialDelayMs: 20, maxDelayMs: 50 } } };

describe.concurrent.each(connectors)('$label with hostile options', (connector) => {
  it('accepts them and starts and stops cleanly, or rejects them naming the field without connecting', async ({
    expect,
  }) => {
    const proxy = proxies.get(connector.label)!;
    await fc.assert(
      fc.asyncProperty(withExtraKeys(connector.fields), async (fields) => {
        const options = { ...fields, ...connector.address(proxy.port) };
        const before = proxy.accepted;
        let plugin: ReturnType<typeof connector.factory>;
        try {
          plugin = connector.factory(options);
        } catch (error) {
          expect(rejectionProblem(error, [options])).toBeUndefined();
          await sleep(10);
          expect(proxy.accepted, 'a rejected configuration connected').toBe(before);
          return;
        }
        let app: ReturnType<typeof createStartup>;
        try {
          app = createStartup([plugin], startPolicy);
        } catch (error) {
          // The connector passed a hostile core field through (retry, breaker, timeouts): core names it.
          expect(rejectionProblem(error, [options])).toBeUndefined();
          expect(proxy.accepted, 'a rejected configuration connected').toBe(before);
          return;
        }
        const failure = await within(
          app.start().then(
            () => undefined,
            (error: unknown) => error,
          ),
          3_000,
          'start()',
        );
        if (failure !== undefined) {
          expect(isStartupError(failure), String(failure)).toBe(true);
          expect(crashIn(failure), describeError(failure).message).toBeUndefined();
        }
        await within(
          app.stop().catch(() => {}),
          3_000,
          'stop()',
        );
        await waitFor('no connection left at the proxy', () => proxy.connections === 0, 2_000);
      }),
      { numRuns: 40 },
    );
  });

  it('rejects hostile URLs naming the field and never showing their password', async ({ expect }) => {
    await fc.assert(
      fc.property(
        secret.chain((password) => fc.tuple(fc.constant(password), hostileUrl(connector, password))),
        ([password, url]) => {
          try {
            connector.factory(connector.url(url));
          } catch (error) {
            expect(rejectionProblem(error, [connector.url(url)])).toBeUndefined();
            const shown = `${(error as Error).message} ${JSON.stringify(describeError(error))}`;
            expect(shown).not.toContain(password);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
