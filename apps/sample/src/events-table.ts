import { definePlugin, StartupError } from '@startup/core';
import { invalidOption } from '@startup/core/plugin-kit';
import type pg from 'pg';

/** A recorded event, as stored in PostgreSQL. */
export interface StoredEvent {
  id: number;
  type: string;
  /** ISO 8601. */
  createdAt: string;
}

/** What the `events-table` plugin gives handlers: the table, created and ready. */
export interface EventTable {
  /** The table's name. */
  readonly table: string;
  /** Inserts one event and returns its id and time. */
  insert(type: string, payload: unknown): Promise<StoredEvent>;
  /** True while the table exists: a real round trip, for the health check. */
  exists(): Promise<boolean>;
}

/** Options of {@link eventsTable}. */
export interface EventsTableOptions {
  /** Table name: lower-case letters, digits and `_`. Defaults to `sample_events`. */
  table?: string;
}

/**
 * A custom plugin that depends on `postgres`: it creates the events table at start (an idempotent
 * migration, serialised across replicas by an advisory lock) and gives handlers an {@link EventTable}.
 * Its health check proves the table is still there. See docs/custom-plugin.md.
 */
export function eventsTable(options: EventsTableOptions = {}) {
  const table = options.table ?? 'sample_events';
  if (typeof table !== 'string' || !/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
    throw invalidOption(
      'table',
      'a lower-case SQL identifier (a-z, 0-9, _; at most 63)',
      table,
      'events-table',
    );
  }
  return definePlugin<{ postgres: pg.Pool }>()({
    name: 'events-table',
    dependsOn: ['postgres'],
    async init({ deps, signal, step }) {
      await step('migrate', () => migrate(deps.postgres, table, signal));
      return eventTable(deps.postgres, table);
    },
    async healthCheck(events) {
      if (!(await events.exists())) throw new Error(`table "${table}" is missing`);
    },
  });
}

function eventTable(db: pg.Pool, table: string): EventTable {
  return {
    table,
    async insert(type, payload) {
      const { rows } = await db.query<{ id: string; created_at: Date }>(
        `INSERT INTO ${table} (type, payload) VALUES ($1, $2) RETURNING id, created_at`,
        [type, JSON.stringify(payload)],
      );
      const row = rows[0]!;
      return { id: Number(row.id), type, createdAt: row.created_at.toISOString() };
    },
    async exists() {
      const { rows } = await db.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
        table,
      ]);
      return rows[0]?.found === true;
    },
  };
}

async function migrate(db: pg.Pool, table: string, signal: AbortSignal): Promise<void> {
  const client = await db.connect();
  if (signal.aborted) {
    client.release(true);
    throw signal.reason;
  }
  // An abandoned attempt (timeout, deadline, SIGTERM) ends its connection at once; the server rolls back.
  const abandon = () => client.release(new Error('migration aborted'));
  signal.addEventListener('abort', abandon, { once: true });
  let failure: unknown;
  try {
    await client.query('BEGIN');
    // Replicas starting together would race on CREATE TABLE IF NOT EXISTS (a known PostgreSQL error).
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`startup-sample:migrate:${table}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (
      id bigserial PRIMARY KEY,
      type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await client.query(`CREATE INDEX IF NOT EXISTS ${table}_type_created_idx ON ${table} (type, created_at)`);
    await client.query('COMMIT');
  } catch (error) {
    failure = error;
  } finally {
    signal.removeEventListener('abort', abandon);
  }
  if (signal.aborted) throw signal.reason;
  // A connection whose transaction failed is discarded rather than returned to the pool.
  client.release(failure === undefined ? undefined : true);
  if (failure !== undefined) {
    const reason = failure instanceof Error ? failure.message : String(failure);
    throw new StartupError('STARTUP_ERR_MIGRATION', `Cannot create table "${table}": ${reason}`, {
      plugin: 'events-table',
      cause: failure,
    });
  }
}
