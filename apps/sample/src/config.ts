import { StartupError } from '@startup/core';
import { type EnvReader, envReader } from './env-fields.js';

/** Pino levels, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Which grade scale judges a start: the spec's seconds, or milliseconds on loopback. */
export type GradeScale = 'origin' | 'loopback';

/** The sample's configuration, read from the environment by {@link loadConfig}. Durations in milliseconds. */
export interface Config {
  /** `PORT`: HTTP port; 0 lets the OS pick a free one. Defaults to 8687 (the spec's default). */
  port: number;
  /** `HOST`: interface to listen on. Defaults to `127.0.0.1` (the Dockerfile sets `0.0.0.0`). */
  host: string;
  /** `DATABASE_URL`. Defaults to `postgres://postgres@127.0.0.1:5432/test`. */
  databaseUrl: string;
  /** `REDIS_URL`. Defaults to `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** `NATS_URL`: one server or several separated by commas. Defaults to `nats://127.0.0.1:4222`. */
  natsUrl: string;
  /** `API_KEY` guarding `/api/v1/stats`; at least 16 printable ASCII characters, no spaces. Unset (or empty): the endpoint is disabled. */
  apiKey: string | undefined;
  /**
   * `SERVICE_NAME`: PostgreSQL `application_name`, Redis client name, NATS connection name, Redis key
   * prefix and history `service`. Defaults to `startup-sample`.
   */
  serviceName: string;
  /** `STARTUP_TIMEOUT_MS`: the global start-up deadline. Defaults to 60000 (origin "critical"). */
  startupTimeoutMs: number;
  /** `ATTEMPT_TIMEOUT_MS`: one connection attempt of one service. Defaults to 10000. */
  attemptTimeoutMs: number;
  /** `HEALTH_TIMEOUT_MS`: one service's health check. Defaults to 5000 (the spec's default). */
  healthTimeoutMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`: the whole graceful shutdown; past it the process exits with status 1. Defaults to 10000. */
  shutdownTimeoutMs: number;
  /** `SHUTDOWN_DELAY_MS`: readiness fails this long before the server stops accepting requests. Defaults to 0. */
  shutdownDelayMs: number;
  /**
   * `HISTORY_STORE`: where each start is recorded (`undefined` when `off`). `file:<path>` (a JSON-lines file, the
   * local default), `postgres[:<table>]` (through the application's own pool, table `startup_history`),
   * `redis[:<key>]` (through its Redis client, list `startup:history`). When unset, the file
   * `STARTUP_HISTORY_FILE` (the variable the monitor's CLI reads), else `.startup-history.jsonl`.
   */
  history: HistorySetting | undefined;
  /** `PG_WARM_CONNECTIONS`: connections opened during the start; at most `PG_POOL_MAX`. Defaults to 10 (or `PG_POOL_MAX` when smaller). */
  pgWarmConnections: number;
  /** `PG_POOL_MAX`: most connections of the pool. Defaults to 20 (origin `pool_size=20`). */
  pgPoolMax: number;
  /** `LOG_LEVEL`. Defaults to `info`. */
  logLevel: LogLevel;
  /** `STARTUP_GRADES`: `origin` (A < 15 s) or `loopback` (A < 150 ms). Defaults to `origin`. */
  grades: GradeScale;
  /**
   * `STARTUP_VARIANT`: the experiment arm recorded with each start in the history, for `startup-monitor compare`
   * (letters, digits, ".", "_" or "-", at most 63). Defaults to none.
   */
  variant: string | undefined;
  /**
   * `STARTUP_BULKHEAD_MAX`: at most this many of the connectors' start attempts at once, through one bulkhead they
   * share (an integer from 1 to 100). Defaults to none: every connector starts at once.
   */
  bulkheadMax: number | undefined;
}

/** A service name or variant label: one word of letters, digits, ".", "_" or "-". */
const label = /^[a-z0-9][a-z0-9._-]{0,62}$/i;
const levels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const day = 86_400_000;

/**
 * A configuration error: every bad variable, each named, one a line (passwords redacted). Its code is
 * `STARTUP_ERR_INVALID_OPTION`.
 */
export class ConfigError extends StartupError {
  /** One line per problem, each starting with the variable's name. */
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const list = problems.map((p) => `\n  - ${p}`).join('');
    super('STARTUP_ERR_INVALID_OPTION', `Invalid configuration (see .env.example):${list}`, {
      retryable: false,
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads and validates the configuration before anything connects. Throws one {@link ConfigError} listing
 * every bad variable by name. See {@link readConfig} to collect the problems without throwing.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const { config, problems } = readConfig(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Reads the configuration; a bad variable is listed in `problems` and its default used in `config`. */
export function readConfig(env: Readonly<Record<string, string | undefined>>): {
  config: Config;
  problems: readonly string[];
} {
  const read = envReader(env);
  const config: Config = {
    port: read.integer('PORT', 8687, 0, 65_535),
    host: read.text('HOST', '127.0.0.1', /^[^\s/]+$/, 'a host name or IP address'),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/test', [
      'postgres',
      'postgresql',
    ]),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
    natsUrl: natsUrl(read),
    apiKey: apiKey(read),
    serviceName: read.text(
      'SERVICE_NAME',
      'startup-sample',
      label,
      'letters, digits, ".", "_" or "-" (at most 63, no spaces)',
    ),
    startupTimeoutMs: read.integer('STARTUP_TIMEOUT_MS', 60_000, 1, day),
    attemptTimeoutMs: read.integer('ATTEMPT_TIMEOUT_MS', 10_000, 1, day),
    healthTimeoutMs: read.integer('HEALTH_TIMEOUT_MS', 5_000, 1, 600_000),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 1, day),
    shutdownDelayMs: read.integer('SHUTDOWN_DELAY_MS', 0, 0, day),
    history: historySetting(read),
    pgWarmConnections: 0,
    pgPoolMax: read.integer('PG_POOL_MAX', 20, 1, 1_000),
    logLevel: read.choice('LOG_LEVEL', 'info', levels),
    grades: read.choice('STARTUP_GRADES', 'origin', ['origin', 'loopback'] as const),
    variant: variant(read),
    bulkheadMax: bulkheadMax(read),
  };
  // Unset, it follows a small pool down: PG_POOL_MAX=4 alone is a valid configuration.
  config.pgWarmConnections = read.integer('PG_WARM_CONNECTIONS', Math.min(10, config.pgPoolMax), 0, 1_000);
  if (config.pgWarmConnections > config.pgPoolMax) {
    read.problem(
      'PG_WARM_CONNECTIONS',
      `at most PG_POOL_MAX (${config.pgPoolMax})`,
      config.pgWarmConnections,
    );
    config.pgWarmConnections = config.pgPoolMax;
  }
  if (config.shutdownDelayMs >= config.shutdownTimeoutMs) {
    read.problem(
      'SHUTDOWN_DELAY_MS',
      `less than SHUTDOWN_TIMEOUT_MS (${config.shutdownTimeoutMs})`,
      config.shutdownDelayMs,
    );
  }
  return { config, problems: read.problems };
}

function natsUrl(read: EnvReader): string {
  const value = read.raw('NATS_URL');
  if (value === undefined) return 'nats://127.0.0.1:4222';
  for (const server of value.split(',')) {
    const entry = server.trim();
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) ? entry : `nats://${entry}`;
    let ok = false;
    try {
      const url = new URL(withScheme);
      ok = (url.protocol === 'nats:' || url.protocol === 'tls:') && url.hostname !== '';
    } catch {}
    if (!ok) {
      const shown = value.replace(/\/\/[^@/,]*@/g, '//****@');
      read.problem('NATS_URL', 'nats://host:port or tls://host:port, several separated by commas', shown);
      return 'nats://127.0.0.1:4222';
    }
  }
  return value;
}

function variant(read: EnvReader): string | undefined {
  if (read.raw('STARTUP_VARIANT') === undefined) return undefined;
  const value = read.text(
    'STARTUP_VARIANT',
    '',
    label,
    'letters, digits, ".", "_" or "-" (at most 63, no spaces)',
  );
  return value === '' ? undefined : value;
}

function bulkheadMax(read: EnvReader): number | undefined {
  if (read.raw('STARTUP_BULKHEAD_MAX') === undefined) return undefined;
  // 0 is outside the range: only an invalid value falls back to it.
  const max = read.integer('STARTUP_BULKHEAD_MAX', 0, 1, 100);
  return max === 0 ? undefined : max;
}

function apiKey(read: EnvReader): string | undefined {
  const value = read.raw('API_KEY');
  if (value === undefined) return undefined;
  // The key itself is never shown, not even in a configuration error.
  if (value.length < 16) read.problem('API_KEY', 'at least 16 characters', `(${value.length} characters)`);
  // Node reads header values as latin1: a key with any other character could never match X-API-Key.
  else if (!/^[\x21-\x7e]+$/.test(value)) {
    read.problem('API_KEY', 'printable ASCII characters only (no spaces, no accents)', '(hidden)');
  }
  return value;
}

/** Where the history is kept: see {@link Config.history}. */
export type HistorySetting =
  | { store: 'file'; file: string }
  | { store: 'postgres'; table: string }
  | { store: 'redis'; key: string };

// The monitor's own check, so a bad table name is a configuration error instead of a failed write.
const tableName = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
const redisKey = /^[\x21-\x7e]{1,200}$/;

// STARTUP_HISTORY_FILE is what the monitor's CLI reads: set once, the sample writes where the CLI looks.
function historySetting(read: EnvReader): HistorySetting | undefined {
  const value = read.raw('HISTORY_STORE');
  if (value === undefined) {
    const file = read.raw('STARTUP_HISTORY_FILE') ?? '.startup-history.jsonl';
    return file.toLowerCase() === 'off' ? undefined : { store: 'file', file };
  }
  const colon = value.indexOf(':');
  const kind = (colon === -1 ? value : value.slice(0, colon)).toLowerCase();
  const rest = colon === -1 ? undefined : value.slice(colon + 1);
  if (kind === 'off' && rest === undefined) return undefined;
  if (kind === 'file' && rest !== undefined && rest.trim() !== '') return { store: 'file', file: rest };
  if (kind === 'postgres' && (rest === undefined || tableName.test(rest))) {
    return { store: 'postgres', table: rest ?? 'startup_history' };
  }
  if (kind === 'redis' && (rest === undefined || redisKey.test(rest))) {
    return { store: 'redis', key: rest ?? 'startup:history' };
  }
  read.problem(
    'HISTORY_STORE',
    'file:<path>, postgres, postgres:<table>, redis, redis:<key> or off',
    value.length > 80 ? `${value.slice(0, 80)}…` : value,
  );
  return { store: 'file', file: '.startup-history.jsonl' };
}
