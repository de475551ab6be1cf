import { definePlugin } from '@startup/core';
import { abortable } from '@startup/core/plugin-kit';
import type pg from 'pg';

/** Runs `statements` in one transaction, one replica at a time, before the plugins that depend on it. */
export function migrations(statements: readonly string[]) {
  return definePlugin<{ postgres: pg.Pool }>()({
    name: 'migrations',
    dependsOn: ['postgres'],
    async init({ deps, signal, step }) {
      // Aborted while waiting for a connection: the one that comes late goes back to the pool.
      const client = await abortable(deps.postgres.connect(), signal, (late) => late.release());
      const run = (sql: string) => abortable(client.query(sql), signal);
      try {
        await step('migrate', async () => {
          await run('BEGIN');
          await run(`SELECT pg_advisory_xact_lock(hashtext('migrations'))`);
          for (const sql of statements) await run(sql);
          await run('COMMIT');
        });
      } catch (error) {
        // Failed or aborted: closing the connection rolls back (once a statement still running ends).
        client.release(true);
        throw error;
      }
      client.release();
      return { applied: statements.length };
    },
  });
}
