import { describe, expect, it } from 'vitest';
import { fakePlugin, fakeReport } from '../test/report-fixture.js';
import type { HistoryEntry, HistoryWarning } from './history-store.js';
import { type RedisListClient, redisHistory } from './redis-history.js';

/** An in-memory Redis with list semantics for the three commands (negative indexes included). */
class FakeRedis implements RedisListClient {
  lists = new Map<string, string[]>();
  fail = false;
  async lpush(key: string, value: string) {
    if (this.fail) throw new Error('ECONNRESET');
    const list = this.lists.get(key) ?? [];
    list.unshift(value);
    this.lists.set(key, list);
    return list.length;
  }
  async ltrim(key: string, start: number, stop: number) {
    this.lists.set(key, this.range(key, start, stop));
    return 'OK';
  }
  async lrange(key: string, start: number, stop: number) {
    if (this.fail) throw new Error('ECONNRESET');
    return this.range(key, start, stop);
  }
  async lset(key: string, index: number, value: string) {
    const list = this.lists.get(key) ?? [];
    if (index >= list.length) throw new Error('ERR index out of range');
    list[index] = value;
    return 'OK';
  }
  range(key: string, start: number, stop: number) {
    const list = this.lists.get(key) ?? [];
    const norm = (i: number) => (i < 0 ? list.length + i : i);
    return list.slice(norm(start), norm(stop) + 1);
  }
}

const entry = (i: number): HistoryEntry => ({
  recordedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  service: 'api',
  report: fakeReport([fakePlugin('redis', { startMs: 0, attemptsMs: [10 + i] })]),
});

describe('redisHistory', () => {
  it('pushes the newest to the head and lists oldest first', async () => {
    const redis = new FakeRedis();
    const history = redisHistory({ client: redis, key: 'k' });
    for (let i = 1; i <= 3; i++) await history.append(entry(i));
    expect(await history.list()).toEqual([entry(1), entry(2), entry(3)]);
    expect(await history.list(2)).toEqual([entry(2), entry(3)]);
    expect(await history.list(0)).toEqual([]);
    expect(JSON.parse(redis.lists.get('k')![0]!)).toEqual(entry(3));
  });

  it("amends a start's element with the pool use learned at its shutdown, even after another push", async () => {
    const redis = new FakeRedis();
    const history = redisHistory({ client: redis, key: 'k' });
    await history.append(entry(1));
    await history.append(entry(2));
    const pools = [{ plugin: 'redis', peakInUse: 1, peakWaiting: 0, checks: 3 }];
    const lrange = redis.lrange.bind(redis);
    // A replica pushes its own start between the store's read and its write.
    let pushed = false;
    redis.lrange = async (key, start, stop) => {
      const list = await lrange(key, start, stop);
      if (!pushed && stop === -1) {
        pushed = true;
        await redis.lpush(key, JSON.stringify(entry(3)));
      }
      return list;
    };
    await history.amend?.({ ...entry(1), pools });
    expect(await history.list()).toEqual([{ ...entry(1), pools }, entry(2), entry(3)]);
  });

  it('cannot amend without lset: amend is absent', () => {
    const bare: RedisListClient = { lpush: async () => 1, ltrim: async () => 'OK', lrange: async () => [] };
    expect(redisHistory({ client: bare }).amend).toBeUndefined();
  });

  it('trims the list to maxEntries', async () => {
    const redis = new FakeRedis();
    const history = redisHistory({ client: redis, maxEntries: 2 });
    for (let i = 1; i <= 5; i++) await history.append(entry(i));
    expect(redis.lists.get('startup:history')).toHaveLength(2);
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([14, 15]);
  });

  it('skips a corrupt element with a warning and keeps the others', async () => {
    const redis = new FakeRedis();
    const warnings: HistoryWarning[] = [];
    const history = redisHistory({ client: redis, onWarning: (w) => warnings.push(w) });
    await history.append(entry(1));
    await redis.lpush('startup:history', '{"truncated');
    await history.append(entry(2));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([11, 12]);
    expect(warnings).toEqual([expect.objectContaining({ source: 'startup:history[1]' })]);
  });

  it('skips an element whose report has a wrong shape, naming the field', async () => {
    const redis = new FakeRedis();
    const warnings: HistoryWarning[] = [];
    const history = redisHistory({ client: redis, onWarning: (w) => warnings.push(w) });
    const spoilt = JSON.parse(JSON.stringify(entry(1)));
    delete spoilt.report.plugins[0].attempts;
    await redis.lpush('startup:history', JSON.stringify(spoilt));
    await history.append(entry(2));
    expect((await history.list()).map((e) => e.report.wallMs)).toEqual([12]);
    expect(warnings).toEqual([
      expect.objectContaining({
        source: 'startup:history[1]',
        message: expect.stringContaining('(entry.report.plugins[0].attempts is not an array)'),
      }),
    ]);
  });

  it('rejects with STARTUP_ERR_HISTORY_IO when Redis fails', async () => {
    const redis = new FakeRedis();
    redis.fail = true;
    const history = redisHistory({ client: redis });
    await expect(history.append(entry(1))).rejects.toMatchObject({ code: 'STARTUP_ERR_HISTORY_IO' });
    await expect(history.list()).rejects.toMatchObject({ message: expect.stringContaining('ECONNRESET') });
  });

  it('rejects bad options naming the field', async () => {
    expect(() => redisHistory({ client: { lpush: () => 1 } as never })).toThrow(/"client"/);
    expect(() => redisHistory({ client: new FakeRedis(), key: '' })).toThrow(/"key"/);
    expect(() => redisHistory({ client: new FakeRedis(), maxEntries: 0 })).toThrow(/"maxEntries"/);
    await expect(redisHistory({ client: new FakeRedis() }).append({} as never)).rejects.toMatchObject({
      code: 'STARTUP_ERR_INVALID_OPTION',
    });
  });
});
