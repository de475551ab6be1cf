import type { AnyPlugin } from '@startup/core';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { addressOf, natsUrl, postgresUrl, redisUrl } from '@startup/test-kit';
import fc from 'fast-check';
import { corePluginFields, maybe, validMs } from './hostile-values.js';

/** A connector under hostile options: its factory, its fields, and where it connects in tests. */
export interface ConnectorUnderTest {
  label: string;
  /** The real server a fault proxy forwards to. */
  target: { host: string; port: number };
  factory(options: Record<string, unknown>): AnyPlugin;
  /** Options that point the connector at `port` on 127.0.0.1 (a fault proxy). */
  address(port: number): Record<string, unknown>;
  /** Every other option, each hostile or plausible (pool sizes kept small when plausible). */
  fields: fc.Arbitrary<Record<string, unknown>>;
  /** The options the connection string lives in, given a hostile URL. */
  url(url: string): Record<string, unknown>;
  /** Schemes this connector takes, to build URLs around. */
  schemes: string[];
  /** True when a lone user-info part (`nats://<token>@host`) is a secret: a NATS token. */
  tokenInUserInfo: boolean;
}

const name = (label: string) => maybe(fc.constantFrom(label, `${label}-2`));
const text = maybe(fc.string({ minLength: 1, maxLength: 12 }));
/** Unknown keys, misspellings included: they must be refused, not ignored. */
const extraKey = fc.dictionary(
  fc.constantFrom('timeout', 'maxConnections', 'hostname', '__proto__'),
  fc.anything(),
  {
    maxKeys: 1,
  },
);

export const connectors: ConnectorUnderTest[] = [
  {
    label: 'postgres()',
    target: addressOf(postgresUrl),
    factory: (options) => postgres(options as never),
    address: (port) => ({ host: '127.0.0.1', port, database: 'test', user: 'postgres' }),
    fields: fc.record(
      {
        name: name('postgres'),
        password: text,
        max: maybe(fc.integer({ min: 1, max: 5 })),
        min: maybe(fc.integer({ min: 0, max: 2 })),
        warmConnections: maybe(fc.integer({ min: 0, max: 2 })),
        connectTimeoutMs: maybe(fc.integer({ min: 50, max: 500 })),
        idleTimeoutMs: maybe(validMs),
        maxLifetimeSeconds: maybe(fc.integer({ min: 0, max: 3_600 })),
        statementTimeoutMs: maybe(fc.integer({ min: 0, max: 30_000 })),
        queryTimeoutMs: maybe(validMs),
        keepAlive: maybe(fc.boolean()),
        keepAliveInitialDelayMs: maybe(validMs),
        applicationName: text,
        retryUnresolvedHost: maybe(fc.boolean()),
        pg: maybe(fc.record({ ssl: maybe(fc.boolean()) }, { requiredKeys: [] })),
        ...corePluginFields,
      },
      { requiredKeys: [] },
    ),
    url: (url) => ({ url }),
    schemes: ['postgres', 'postgresql'],
    tokenInUserInfo: false,
  },
  {
    label: 'redis()',
    target: addressOf(redisUrl),
    factory: (options) => redis(options as never),
    address: (port) => ({ host: '127.0.0.1', port }),
    fields: fc.record(
      {
        name: name('redis'),
        db: maybe(fc.integer({ min: 0, max: 15 })),
        username: text,
        password: text,
        tls: maybe(fc.boolean()),
        connectionName: text,
        connectTimeoutMs: maybe(fc.integer({ min: 50, max: 500 })),
        commandTimeoutMs: maybe(validMs),
        keepAliveMs: maybe(validMs),
        maxRetriesPerRequest: maybe(fc.integer({ min: 0, max: 3 })),
        enableOfflineQueue: maybe(fc.boolean()),
        reconnect: maybe(
          fc.oneof(
            fc.constant(false),
            fc.record({ initialDelayMs: maybe(validMs), maxDelayMs: maybe(validMs) }, { requiredKeys: [] }),
          ),
        ),
        retryUnresolvedHost: maybe(fc.boolean()),
        ioredis: maybe(
          fc.record({ keyPrefix: text, family: maybe(fc.constantFrom(4, 6)) }, { requiredKeys: [] }),
        ),
        ...corePluginFields,
      },
      { requiredKeys: [] },
    ),
    url: (url) => ({ url }),
    schemes: ['redis', 'rediss'],
    tokenInUserInfo: false,
  },
  {
    label: 'nats()',
    target: addressOf(natsUrl),
    factory: (options) => nats(options as never),
    address: (port) => ({ servers: `nats://127.0.0.1:${port}`, ignoreClusterUpdates: true }),
    fields: fc.record(
      {
        name: name('nats'),
        user: text,
        pass: text,
        token: text,
        tls: maybe(fc.constant(null)),
        connectionName: text,
        connectTimeoutMs: maybe(fc.integer({ min: 50, max: 500 })),
        pingIntervalMs: maybe(validMs),
        maxPingOut: maybe(fc.integer({ min: 1, max: 3 })),
        maxReconnectAttempts: maybe(fc.integer({ min: -1, max: 5 })),
        reconnectTimeWaitMs: maybe(validMs),
        jetstream: maybe(
          fc.oneof(
            fc.boolean(),
            fc.record({ timeoutMs: maybe(validMs), domain: text }, { requiredKeys: [] }),
          ),
        ),
        retryUnresolvedHost: maybe(fc.boolean()),
        client: maybe(fc.record({ noEcho: maybe(fc.boolean()), inboxPrefix: text }, { requiredKeys: [] })),
        ...corePluginFields,
      },
      { requiredKeys: [] },
    ),
    url: (url) => ({ servers: url }),
    schemes: ['nats', 'tls'],
    tokenInUserInfo: true,
  },
];

/** Hostile fields merged with a few unknown keys, sometimes. */
export function withExtraKeys(fields: fc.Arbitrary<Record<string, unknown>>) {
  return fc.tuple(fields, fc.oneof(fc.constant({}), extraKey)).map(([f, extra]) => ({ ...extra, ...f }));
}

/** A distinctive password, so a message containing it is a leak and not a coincidence. */
export const secret = fc.stringMatching(/^[A-Za-z0-9]{6}$/).map((s) => `Pw-${s}-s3cr3t`);

/**
 * A URL with a password in it and hostile parts: scheme, user, host, port, path and query each possibly
 * wrong, in the shapes people write (`scheme://user:pw@host`, `//user:pw@host`, `user:pw@host:port`), and
 * `scheme://token@host` where that user-info is a secret.
 */
export function hostileUrl(connector: ConnectorUnderTest, password: string): fc.Arbitrary<string> {
  const scheme = fc.constantFrom(...connector.schemes, 'http', 'ftp', '', 'postgres:/');
  const user = fc.constantFrom('app', '', 'a:b', 'user@x', '%zz');
  const host = fc.constantFrom(
    '127.0.0.1',
    'db.internal',
    '',
    'a..invalid',
    '[::1]',
    'exa mple',
    'ünï.example',
  );
  const port = fc.constantFrom('', ':0', ':5432', ':65536', ':-1', ':abc', ':99999999');
  const path = fc.constantFrom('', '/', '/test', '/0', '/%', '/a/b');
  const query = fc.constantFrom('', '?sslmode=require', '?a=1&password=x', '?');
  const shapes = ['full', 'no scheme', 'scheme-relative', ...(connector.tokenInUserInfo ? ['token'] : [])];
  return fc
    .tuple(fc.constantFrom(...shapes), scheme, user, host, port, path, query)
    .map(([shape, s, u, h, p, pa, q]) => {
      const rest = `${h}${p}${pa}${q}`;
      if (shape === 'no scheme') return `${u}:${password}@${rest}`;
      if (shape === 'scheme-relative') return `//${u}:${password}@${rest}`;
      if (shape === 'token') return `${s}://${password}@${rest}`;
      return `${s}://${u}:${password}@${rest}`;
    });
}
