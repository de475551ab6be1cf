import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { HistoryEntry, HistoryWarning } from './history-store.js';
import { jsonlHistory } from './jsonl-history.js';
import { redisHistory } from './redis-history.js';
import { type SqlClient, sqlHistory } from './sql-history.js';

/** A problem with how the CLI was called or with its input: printed, exit code 2. */
export class UsageError extends Error {}

/** Where the CLI reads starts: a `--store` value resolved. */
export interface StoreLocation {
  /** `postgres://…`, `redis://…` (the password never kept), or an absolute file path. */
  kind: 'postgres' | 'redis' | 'file';
  /** The connection string or path, as given (the password in it is only passed to the driver). */
  target: string;
  /** How it is named in messages: the password left out. */
  shown: string;
  /** The SQL table or the Redis key. */
  name?: string;
}

/** Milliseconds the CLI waits for PostgreSQL or Redis to answer before it gives up. */
const connectTimeoutMs = 5_000;

/** Resolves `--store` (or the history file fallback) to a location; `name` is `--table` or `--key`. */
export function storeLocation(store: string, cwd: string, name: string | undefined): StoreLocation {
  const scheme = /^([a-z]+):\/\//i.exec(store)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql' || scheme === 'redis' || scheme === 'rediss') {
    const kind = scheme.startsWith('postgres') ? 'postgres' : 'redis';
    return { kind, target: store, shown: withoutPassword(store), ...(name === undefined ? {} : { name }) };
  }
  if (scheme !== undefined) {
    throw new UsageError(
      `--store must be a postgres://, redis:// URL or a file path, got a ${scheme}:// URL`,
    );
  }
  if (name !== undefined) throw new UsageError('--table and --key apply to a postgres:// or redis:// store');
  const file = resolve(cwd, store);
  return { kind: 'file', target: file, shown: file };
}

/** Every entry of the store, oldest first; warnings about skipped entries go to `warn`. */
export async function readStore(
  location: StoreLocation,
  warn: (warning: HistoryWarning) => void,
): Promise<HistoryEntry[]> {
  if (location.kind === 'postgres') return readPostgres(location, warn);
  if (location.kind === 'redis') return readRedis(location, warn);
  return readFile(location.target, warn);
}

async function readPostgres(location: StoreLocation, warn: (w: HistoryWarning) => void) {
  const pg = await optionalDriver<{
    default: { Pool: new (config: object) => SqlClient & { end(): Promise<void> } };
  }>('pg', 'postgres');
  const pool = new pg.default.Pool({
    connectionString: location.target,
    max: 1,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: 'startup-monitor',
  });
  // An idle client's error (the server going away) must not crash the CLI; the query reports it.
  (pool as unknown as { on(event: 'error', listener: () => void): void }).on('error', () => {});
  try {
    return await sqlHistory({
      client: pool,
      onWarning: warn,
      ...(location.name === undefined ? {} : { table: location.name }),
    }).list();
  } catch (error) {
    throw new UsageError(`cannot read ${location.shown}: ${reasonOf(error, location.target)}`);
  } finally {
    await pool.end().catch(() => {});
  }
}

interface RedisClient {
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: unknown) => void): void;
  lpush(key: string, value: string): Promise<unknown>;
  ltrim(key: string, start: number, stop: number): Promise<unknown>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
}

async function readRedis(location: StoreLocation, warn: (w: HistoryWarning) => void) {
  const ioredis = await optionalDriver<{ Redis: new (url: string, options: object) => RedisClient }>(
    'ioredis',
    'redis',
  );
  const redis = new ioredis.Redis(location.target, {
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectionName: 'startup-monitor',
  });
  // ioredis rejects connect() with "Connection is closed."; the reason is the error event before it.
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    return await redisHistory({
      client: redis,
      onWarning: warn,
      ...(location.name === undefined ? {} : { key: location.name }),
    }).list();
  } catch (error) {
    throw new UsageError(`cannot read ${location.shown}: ${reasonOf(lastError ?? error, location.target)}`);
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}

async function readFile(file: string, warn: (w: HistoryWarning) => void): Promise<HistoryEntry[]> {
  try {
    const info = await stat(file);
    if (info.isDirectory())
      throw new UsageError(`history file ${file} is a directory, not a JSON-lines file`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(
        `no history file at ${file}. Record starts there (jsonlHistory) or pass --store / set STARTUP_HISTORY_FILE`,
      );
    }
    throw new UsageError(`cannot read history file ${file}: ${code ?? String(error)}`);
  }
  try {
    return await jsonlHistory({ file, onWarning: warn }).list();
  } catch (error) {
    const reason = (error as { cause?: NodeJS.ErrnoException }).cause?.code ?? (error as Error).message;
    throw new UsageError(`cannot read history file ${file}: ${reason}`);
  }
}

/** The driver, loaded only when its store is asked for: it is an optional peer of the CLI. */
async function optionalDriver<T>(name: 'pg' | 'ioredis', scheme: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch {
    throw new UsageError(
      `a ${scheme}:// store needs the "${name}" package: install it beside @startup/monitor`,
    );
  }
}

/** The URL without its password, for messages. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.href;
  } catch {
    return `${url.slice(0, url.indexOf('://'))}:// URL`;
  }
}

/** Why a read failed, the URL's password blanked should a driver repeat it. */
function reasonOf(error: unknown, url: string): string {
  const cause = (error as { cause?: unknown }).cause;
  const inner = cause instanceof Error ? cause : error;
  const message = inner instanceof Error ? inner.message : String(inner);
  const code = (inner as { code?: unknown }).code;
  const reason = message || (typeof code === 'string' ? code : 'unknown error');
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {}
  return password.length > 0 ? reason.split(password).join('***') : reason;
}
