import { definePlugin, StartupError } from '@startup/core';
import { invalidOption } from '@startup/core/plugin-kit';
import type pg from 'pg';

/** A recorded event, as stored in PostgreSQL, with the after-commit work done for it so far. */
export interface StoredEvent {
  id: number;
  type: string;
  /** ISO 8601. */
  createdAt: string;
  /** Its sequence number in the events stream, once published; `null` before. */
  publishedSeq: number | null;
  /** Whether it has been counted in Redis. */
  counted: boolean;
}

/** An event to insert. */
export interface NewEvent {
  type: string;
  payload: unknown;
  /** The client's `Idempotency-Key`: at most one event is stored per key (a unique constraint). */
  idempotencyKey?: string;
  /** A digest of the request, stored with the key to tell a retry from a reuse of the key. */
  requestHash?: string;
}

/** What the `events-table` plugin gives handlers: the table, created and ready. */
export interface EventTable {
  /** The table's name. */
  readonly table: string;
  /**
   * Inserts one event (the commit point of a request), or finds the one already stored under its
   * idempotency key: `created` says which, `requestHash` is the stored one.
   */
  insert(event: NewEvent): Promise<{ event: StoredEvent; created: boolean; requestHash: string | null }>;
  /** Records after-commit work that succeeded: the stream sequence, the count. */
  markDone(id: number, done: { publishedSeq?: number; counted?: boolean }): Promise<void>;
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

interface EventRow {
  id: string;
  type: string;
  created_at: Date;
  published_seq: string | null;
  counted: boolean;
  request_hash: string | null;
}

function eventTable(db: pg.Pool, table: string): EventTable {
  const columns = 'id, type, created_at, published_seq, counted, request_hash';
  const stored = (row: EventRow): StoredEvent => ({
    id: Number(row.id),
    type: row.type,
    createdAt: row.created_at.toISOString(),
    publishedSeq: row.published_seq === null ? null : Number(row.published_seq),
    counted: row.counted,
  });
  return {
    table,
    async insert({ type, payload, idempotencyKey = null, requestHash = null }) {
      // A key already stored inserts nothing: the event stored under it is the answer. Two requests with
      // the same key at once are serialised by the unique constraint; the second one reads the first's row.
      for (let attempt = 0; attempt < 2; attempt++) {
        const inserted = await db.query<EventRow>(
          `INSERT INTO ${table} (type, payload, idempotency_key, request_hash) VALUES ($1, $2, $3, $4)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${columns}`,
          [type, JSON.stringify(payload), idempotencyKey, requestHash],
        );
        const row = inserted.rows[0];
        if (row !== undefined) return { event: stored(row), created: true, requestHash: row.request_hash };
        const found = await db.query<EventRow>(`SELECT ${columns} FROM ${table} WHERE idempotency_key = $1`, [
          idempotencyKey,
        ]);
        const existing = found.rows[0];
        if (existing !== undefined) {
          return { event: stored(existing), created: false, requestHash: existing.request_hash };
        }
        // The conflicting row was deleted in between: insert again.
      }
      throw new Error(`the event of an idempotency key kept disappearing from "${table}"`);
    },
    async markDone(id, { publishedSeq = null, counted = false }) {
      await db.query(
        `UPDATE ${table} SET published_seq = COALESCE($2, published_seq), counted = counted OR $3 WHERE id = $1`,
        [id, publishedSeq, counted],
      );
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
    // Columns added since the first version, and the UNIQUE constraint that comes with the key. ALTER TABLE
    // locks out every reader, even when there is nothing to add: it runs only when a column is missing.
    const added = ['idempotency_key', 'request_hash', 'published_seq', 'counted'];
    const { rowCount } = await client.query(
      'SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = ANY($2) AND NOT attisdropped',
      [table, added],
    );
    if (rowCount !== added.length) {
      await client.query(`ALTER TABLE ${table}
        ADD COLUMN IF NOT EXISTS idempotency_key text UNIQUE,
        ADD COLUMN IF NOT EXISTS request_hash text,
        ADD COLUMN IF NOT EXISTS published_seq bigint,
        ADD COLUMN IF NOT EXISTS counted boolean NOT NULL DEFAULT false`);
    }
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
