import { checkInteger, invalidOption } from '@startup/core/plugin-kit';
import {
  type CheckedEntry,
  checkEntry,
  emitHistoryWarning,
  type HistoryEntry,
  type HistoryStore,
  type HistoryWarning,
  historyIoError,
  historyLimit,
  invalidHistoryEntry,
  skippedWarning,
} from './history-store.js';

/** Anything with a PostgreSQL-style `query(text, params)`: a `pg.Pool` or `pg.Client` fits as is. */
export interface SqlClient {
  query(text: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

/** Options of {@link sqlHistory}. */
export interface SqlHistoryOptions {
  /** The client, or a bare `query(text, params)` function. */
  client: SqlClient | SqlClient['query'];
  /** Table name, optionally schema-qualified; created if missing. Defaults to `startup_history`. */
  table?: string;
  /** Rows kept (for all services together); older ones are deleted on append. Defaults to 500. */
  maxEntries?: number;
  /** Called for each corrupt row skipped. Defaults to a process warning. */
  onWarning?: (warning: HistoryWarning) => void;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/**
 * A history store in a PostgreSQL table, so replicas of a fleet share one history on a database they
 * already run. It never imports a driver: pass your `pg.Pool`. The table (id, recorded_at, service,
 * instance, variant, prediction jsonb, pools jsonb, report jsonb) is created on first use; a table made by an older
 * version gets the columns it lacks. Errors reject with `STARTUP_ERR_HISTORY_IO`.
 * @example const history = sqlHistory({ client: pool, table: 'startup_history' });
 */
export function sqlHistory(options: SqlHistoryOptions): HistoryStore {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { client } = options;
  const query: SqlClient['query'] | undefined =
    typeof client === 'function'
      ? client
      : typeof client?.query === 'function'
        ? (text, params) => client.query(text, params)
        : undefined;
  if (!query) throw invalidOption('client', 'a client with query(text, params), such as a pg.Pool', client);
  const table = options.table ?? 'startup_history';
  if (typeof table !== 'string' || !identifier.test(table)) {
    throw invalidOption('table', 'a table name ([A-Za-z_][A-Za-z0-9_]*, optionally schema.table)', table);
  }
  const maxEntries = checkInteger('maxEntries', options.maxEntries, 500);
  const onWarning = options.onWarning ?? emitHistoryWarning;
  const quoted = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

  let ready: Promise<void> | undefined;
  const ensureTable = () => {
    ready ??= query(
      `CREATE TABLE IF NOT EXISTS ${quoted} (id BIGSERIAL PRIMARY KEY, recorded_at TIMESTAMPTZ NOT NULL, service TEXT, instance TEXT, variant TEXT, prediction JSONB, pools JSONB, report JSONB NOT NULL)`,
    )
      .then(undefined, (error: unknown) => {
        // Two replicas creating the table at once: one loses the race on the catalog; the table exists.
        const code = (error as { code?: unknown }).code;
        if (code !== '23505' && code !== '42P07') throw error;
      })
      // A table made by a version before instances, variants, predictions and pools were kept gets their columns.
      .then(() =>
        query(
          `ALTER TABLE ${quoted} ADD COLUMN IF NOT EXISTS instance TEXT, ADD COLUMN IF NOT EXISTS variant TEXT, ADD COLUMN IF NOT EXISTS prediction JSONB, ADD COLUMN IF NOT EXISTS pools JSONB`,
        ),
      )
      .then(
        () => undefined,
        (error: unknown) => {
          ready = undefined;
          throw error;
        },
      );
    return ready;
  };
  const run = async <T>(op: string, task: () => Promise<T>): Promise<T> => {
    try {
      await ensureTable();
      return await task();
    } catch (error) {
      throw historyIoError(op, `table ${table}`, error);
    }
  };

  return {
    append(entry) {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      return run('write', async () => {
        await query(
          `INSERT INTO ${quoted} (recorded_at, service, instance, variant, prediction, pools, report) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb)`,
          [
            entry.recordedAt,
            entry.service ?? null,
            entry.instance ?? null,
            entry.variant ?? null,
            entry.prediction === undefined ? null : JSON.stringify(entry.prediction),
            entry.pools === undefined ? null : JSON.stringify(entry.pools),
            JSON.stringify(entry.report),
          ],
        );
        await query(
          `DELETE FROM ${quoted} WHERE id <= (SELECT id FROM ${quoted} ORDER BY id DESC OFFSET $1 LIMIT 1)`,
          [maxEntries],
        );
      });
    },
    amend(entry) {
      const invalid = invalidHistoryEntry(entry);
      if (invalid) return Promise.reject(invalid);
      // What a start learns later (its pools); the row is the same start's: same time, instance and service.
      return run('write', async () => {
        await query(
          `UPDATE ${quoted} SET pools = $1::jsonb WHERE recorded_at = $2 AND instance IS NOT DISTINCT FROM $3 AND service IS NOT DISTINCT FROM $4`,
          [
            entry.pools === undefined ? null : JSON.stringify(entry.pools),
            entry.recordedAt,
            entry.instance ?? null,
            entry.service ?? null,
          ],
        );
      });
    },
    async list(limit) {
      const n = historyLimit(limit);
      return run('read', async () => {
        const { rows } = await query(
          `SELECT id, recorded_at, service, instance, variant, prediction, pools, report FROM ${quoted} ORDER BY id DESC LIMIT $1`,
          [Number.isFinite(n) ? n : null],
        );
        const entries: HistoryEntry[] = [];
        for (const row of rows.reverse()) {
          const checked = toEntry(row);
          const id = String(row.id);
          if (checked.entry) entries.push(checked.entry);
          else
            onWarning(
              skippedWarning(checked, `${table}#${id}`, 'a corrupt row', `table ${table} (id ${id})`),
            );
        }
        return entries;
      });
    },
  };
}

function toEntry(row: Record<string, unknown>): CheckedEntry {
  try {
    const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
    const report = json(row.report);
    const at = row.recorded_at;
    const recordedAt =
      at instanceof Date ? at.toISOString() : typeof at === 'string' ? new Date(at).toISOString() : undefined;
    const entry: Record<string, unknown> = { recordedAt, report };
    for (const key of ['service', 'instance', 'variant'] as const) {
      if (typeof row[key] === 'string') entry[key] = row[key];
    }
    if (row.prediction !== null && row.prediction !== undefined) entry.prediction = json(row.prediction);
    if (row.pools !== null && row.pools !== undefined) entry.pools = json(row.pools);
    return checkEntry(entry);
  } catch {
    return {};
  }
}
