import type { Startup } from '@startup/core';
import {
  type HistoryEntry,
  type HistoryStore,
  jsonlHistory,
  redisHistory,
  type SqlClient,
  sqlHistory,
} from '@startup/monitor';
import type { HistorySetting } from './config.js';
import type { Redact } from './redaction.js';

/** The store of `HISTORY_STORE`, with what it could not write. */
export interface SampleHistory extends HistoryStore {
  /** Entries that could not be written (failed or timed out), since the process started. */
  readonly writeFailures: number;
}

/** Options of {@link openHistory}. */
export interface OpenHistoryOptions {
  /** Removes the configuration's secrets from each entry before it is written. */
  redact: Redact;
  /** Bound on each read and write, in milliseconds: a store that hangs never holds the monitor (or the shutdown). */
  timeoutMs: number;
}

/**
 * The history of `HISTORY_STORE` (`undefined` when `off`). A file is written at once; `postgres` and `redis` go
 * through the application's own pool and client, so they wait until the start completed: a start that failed
 * has no pool left and is recorded in a file history only. Every entry passes through `redact` (core already
 * masks URL passwords in reports; this removes any other secret of the configuration). Nothing here is on the
 * start's path: the monitor records after the start, and every operation is bounded by `timeoutMs`.
 */
export function openHistory(
  setting: HistorySetting | undefined,
  startup: Pick<Startup<{ postgres: SqlClient; redis: unknown }>, 'on' | 'resources'>,
  options: OpenHistoryOptions,
): SampleHistory | undefined {
  if (setting === undefined) return undefined;
  const store =
    setting.store === 'file'
      ? Promise.resolve<HistoryStore | undefined>(jsonlHistory({ file: setting.file }))
      : new Promise<HistoryStore | undefined>((resolve) => {
          startup.on('startup:ready', () => {
            const resources = startup.resources as Record<string, unknown>;
            const client = resources[setting.store];
            if (client === undefined) return resolve(undefined);
            resolve(
              setting.store === 'postgres'
                ? sqlHistory({ client: client as SqlClient, table: setting.table })
                : redisHistory({
                    client: client as Parameters<typeof redisHistory>[0]['client'],
                    key: setting.key,
                  }),
            );
          });
          startup.on('startup:failed', () => resolve(undefined));
        });
  let writeFailures = 0;
  const bounded = <T>(op: string, task: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `Cannot ${op} start-up history in ${setting.store}: no answer within ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
      timer.unref();
    });
    return Promise.race([task, late]).finally(() => clearTimeout(timer));
  };
  return {
    get writeFailures() {
      return writeFailures;
    },
    async append(entry: HistoryEntry) {
      const target = await store;
      if (target === undefined) return;
      try {
        await bounded('write', target.append(JSON.parse(options.redact(JSON.stringify(entry)))));
      } catch (error) {
        // Counted here, reported once by the monitor (its onError), which then skips this start's trend.
        writeFailures += 1;
        throw error;
      }
    },
    async amend(entry: HistoryEntry) {
      // The pool use learned at the shutdown (pool advice over many starts); a store that cannot amend skips it.
      const target = await store;
      if (target?.amend === undefined) return;
      await bounded('amend', target.amend(JSON.parse(options.redact(JSON.stringify(entry)))));
    },
    async list(limit) {
      const target = await store;
      return target === undefined ? [] : bounded('read', target.list(limit));
    },
  };
}

/**
 * `startup_history_write_failures_total`, Prometheus text: the entries `history` could not write, labelled
 * `service` like the monitor's series.
 */
export function historyMetrics(history: SampleHistory, service: string): string {
  const name = 'startup_history_write_failures_total';
  return [
    `# HELP ${name} Start-up history entries that could not be written (failed or timed out).`,
    `# TYPE ${name} counter`,
    `${name}{service=${JSON.stringify(service)}} ${history.writeFailures}`,
    '',
  ].join('\n');
}
