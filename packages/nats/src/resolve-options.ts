import type { NodeConnectionOptions } from '@nats-io/transport-node';
import {
  checkBoolean,
  checkDuration,
  checkInteger,
  checkKeys,
  checkPassThrough,
  checkSecret,
  checkString,
  invalidOption,
  type PluginSettings,
} from '@startup/core/plugin-kit';
import {
  type ManagedNatsOption,
  managedNatsOptions,
  type NatsJetStreamOptions,
  type NatsPluginOptions,
  type NodeTlsOptions,
} from './options.js';
import { jetStreamTimeoutMs, natsDefaults, natsOptionSchema } from './schema.js';
import { parseServer, type ServerAddress, splitServers } from './server-url.js';

/** The options of `nats({ jetstream: { … } })`. */
const jetStreamOptionKeys = [
  'domain',
  'apiPrefix',
  'timeoutMs',
] as const satisfies readonly (keyof NatsJetStreamOptions)[];

/** JetStream options after validation. */
export interface ResolvedJetStreamOptions {
  domain?: string;
  apiPrefix?: string;
  timeout: number;
}

/** Options after validation, every default filled in. */
export interface ResolvedNatsOptions {
  name: string;
  servers: ServerAddress[];
  user: string | undefined;
  pass: string | undefined;
  token: string | undefined;
  tls: NodeTlsOptions | null | undefined;
  connectionName: string;
  connectTimeoutMs: number;
  pingIntervalMs: number;
  maxPingOut: number;
  /** nats.js' form: `-1` for no limit. */
  maxReconnectAttempts: number;
  reconnectTimeWaitMs: number;
  ignoreClusterUpdates: boolean;
  jetstream: ResolvedJetStreamOptions | undefined;
  retryUnresolvedHost: boolean;
  client: Omit<NodeConnectionOptions, ManagedNatsOption>;
  /** The servers for messages: no credentials. */
  target: string;
  /** Literal secrets to redact from any text shown. */
  secrets: string[];
  /** The plugin settings given (`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`), checked. */
  settings: PluginSettings;
}

/** Validates `options` before anything connects and fills in the defaults. Throws `STARTUP_ERR_INVALID_OPTION`. */
export function resolveNatsOptions(given: NatsPluginOptions<string> = {}): ResolvedNatsOptions {
  const { options, name, at, settings } = natsOptionSchema.accept(given);
  const servers = checkServers(options.servers, name);
  const fromUrl = servers.find((s) => s.user !== undefined || s.token !== undefined);
  for (const s of servers) {
    if (fromUrl && (s.user !== undefined || s.token !== undefined) && !sameCredentials(s, fromUrl)) {
      throw invalidOption('servers', 'the same credentials in every URL', '(differing credentials)', name);
    }
  }
  const explicit = options.user !== undefined || options.pass !== undefined || options.token !== undefined;
  const user = checkSecret('user', options.user, { plugin: name }) ?? (explicit ? undefined : fromUrl?.user);
  const pass = checkSecret('pass', options.pass, { plugin: name }) ?? (explicit ? undefined : fromUrl?.pass);
  const token =
    checkSecret('token', options.token, { plugin: name }) ?? (explicit ? undefined : fromUrl?.token);
  if (pass !== undefined && user === undefined)
    throw invalidOption('user', 'a user name to go with "pass"', undefined, name);
  if (user !== undefined && pass === undefined)
    throw invalidOption('pass', 'a password to go with "user"', undefined, name);
  if (token !== undefined && user !== undefined)
    throw invalidOption('token', 'no token when "user" is set', '(set)', name);
  const maxReconnect = checkInteger(
    'maxReconnectAttempts',
    options.maxReconnectAttempts,
    natsDefaults.maxReconnectAttempts,
    {
      ...at,
      min: -1,
      allowInfinity: true,
    },
  );
  return {
    name,
    servers,
    user,
    pass,
    token,
    tls: checkTls(options.tls, servers, name),
    connectionName: checkString('connectionName', options.connectionName, natsDefaults.connectionName, {
      plugin: name,
    }),
    connectTimeoutMs: checkDuration(
      'connectTimeoutMs',
      options.connectTimeoutMs,
      natsDefaults.connectTimeoutMs,
      {
        ...at,
        positive: true,
      },
    ),
    pingIntervalMs: checkDuration('pingIntervalMs', options.pingIntervalMs, natsDefaults.pingIntervalMs, {
      ...at,
      positive: true,
    }),
    maxPingOut: checkInteger('maxPingOut', options.maxPingOut, natsDefaults.maxPingOut, at),
    maxReconnectAttempts: Number.isFinite(maxReconnect) ? maxReconnect : -1,
    reconnectTimeWaitMs: checkDuration(
      'reconnectTimeWaitMs',
      options.reconnectTimeWaitMs,
      natsDefaults.reconnectTimeWaitMs,
      at,
    ),
    ignoreClusterUpdates: checkBoolean(
      'ignoreClusterUpdates',
      options.ignoreClusterUpdates,
      natsDefaults.ignoreClusterUpdates,
      { plugin: name },
    ),
    jetstream: checkJetStream(options.jetstream, name),
    retryUnresolvedHost: checkBoolean(
      'retryUnresolvedHost',
      options.retryUnresolvedHost,
      natsDefaults.retryUnresolvedHost,
      { plugin: name },
    ),
    client: checkPassThrough<Omit<NodeConnectionOptions, ManagedNatsOption>>(
      'client',
      options.client,
      managedNatsOptions,
      {
        plugin: name,
      },
    ),
    target: servers.map((s) => s.display).join(','),
    secrets: [pass, token].filter((s): s is string => s !== undefined),
    settings,
  };
}

function checkServers(value: unknown, plugin: string): ServerAddress[] {
  if (value === undefined) return natsDefaults.servers.map((s, i) => parseServer(s, `servers[${i}]`, plugin));
  const list = typeof value === 'string' ? splitServers(value) : value;
  if (!Array.isArray(list) || list.length === 0) {
    throw invalidOption(
      'servers',
      'a server URL or a non-empty list of them',
      Array.isArray(list) ? '[]' : value,
      plugin,
    );
  }
  return list.map((s, i) =>
    parseServer(s, typeof value === 'string' && list.length === 1 ? 'servers' : `servers[${i}]`, plugin),
  );
}

function sameCredentials(a: ServerAddress, b: ServerAddress): boolean {
  return a.user === b.user && a.pass === b.pass && a.token === b.token;
}

function checkTls(
  value: unknown,
  servers: readonly ServerAddress[],
  plugin: string,
): NodeTlsOptions | null | undefined {
  const wantsTls = servers.some((s) => s.tls);
  if (value === undefined) return wantsTls ? {} : undefined;
  if (value === null) {
    if (wantsTls)
      throw invalidOption('tls', 'TLS options (a tls:// server requires TLS), not null', value, plugin);
    return null;
  }
  if (typeof value === 'object') return value as NodeTlsOptions;
  throw invalidOption('tls', 'Node TLS options or null', value, plugin);
}

function checkJetStream(value: unknown, plugin: string): ResolvedJetStreamOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { timeout: jetStreamTimeoutMs };
  if (typeof value !== 'object' || value === null) {
    throw invalidOption('jetstream', 'true, false or { domain, apiPrefix, timeoutMs }', value, plugin);
  }
  checkKeys(value, jetStreamOptionKeys, plugin, 'jetstream');
  const js = value as NatsJetStreamOptions;
  const resolved: ResolvedJetStreamOptions = {
    timeout: checkDuration('jetstream.timeoutMs', js.timeoutMs, jetStreamTimeoutMs, {
      plugin,
      positive: true,
    }),
  };
  if (js.domain !== undefined) resolved.domain = checkString('jetstream.domain', js.domain, '', { plugin });
  if (js.apiPrefix !== undefined)
    resolved.apiPrefix = checkString('jetstream.apiPrefix', js.apiPrefix, '', { plugin });
  if (resolved.domain !== undefined && resolved.apiPrefix !== undefined) {
    throw invalidOption(
      'jetstream.apiPrefix',
      'not both "domain" and "apiPrefix"',
      resolved.apiPrefix,
      plugin,
    );
  }
  return resolved;
}
