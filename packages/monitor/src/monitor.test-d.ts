import { createStartup, definePlugin } from '@startup/core';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { describe, expectTypeOf, it } from 'vitest';
import type { Alert } from './alerts.js';
import type { MonitoredApp } from './monitor.js';
import type { RedisListClient } from './redis-history.js';
import type { SqlClient } from './sql-history.js';

describe('structural contracts', () => {
  it('accepts what createStartup returns as the monitored app', () => {
    const app = createStartup([definePlugin({ name: 'clock', init: () => Date })]);
    expectTypeOf(app).toExtend<MonitoredApp>();
  });

  it('accepts a pg.Pool, a pg.Client and an ioredis client without adapters', () => {
    expectTypeOf<pg.Pool>().toExtend<SqlClient>();
    expectTypeOf<pg.Client>().toExtend<SqlClient>();
    expectTypeOf<Redis>().toExtend<RedisListClient>();
  });

  it('narrows an alert by its kind', () => {
    const describe = (alert: Alert) => {
      if (alert.kind === 'breaker-open') expectTypeOf(alert.plugin).toEqualTypeOf<string>();
      if (alert.kind === 'slow-start') expectTypeOf(alert.thresholdMs).toEqualTypeOf<number>();
      // @ts-expect-error: only breaker and health alerts name a plugin
      if (alert.kind === 'regression') alert.plugin;
    };
    expectTypeOf(describe).toBeFunction();
  });
});
