// @ts-check
import { amqp } from '@startup/amqp';
import { createStartup } from '@startup/core';
import { mqtt } from '@startup/mqtt';
import { mysql } from '@startup/mysql';
import { nats } from '@startup/nats';
import { postgres } from '@startup/postgres';
import { redis } from '@startup/redis';
import { mysqlUrl, postgresUrl, redisUrl, urlWith } from '@startup/test-kit';
import { settle } from './server-observer.mjs';

/**
 * How one cycle ended: `ready` then stopped, `failed` (a permanent error rolled the others back), or
 * `aborted` (the start was cancelled while one service hung).
 * @typedef {'ready' | 'failed' | 'aborted'} CycleKind
 */

/**
 * What was left once a cycle was over: connections on each server under the run's names, and
 * handles above the baseline. All zero / empty when nothing leaked.
 * @typedef {object} Leftovers
 * @property {number} postgres Backends in `pg_stat_activity` with the run's `application_name`.
 * @property {number} redis Connections in Redis' `CLIENT LIST` with the run's client name.
 * @property {number} nats Connections in the NATS server's `/connz` with the run's connection name.
 * @property {number} mysql Connections in MariaDB's `PROCESSLIST` on the run's database.
 * @property {number} mqtt Connections the MQTT broker logged for the run's client id and not closed.
 * @property {number} amqp Connections still open through the proxy in front of RabbitMQ (the broker's own count,
 *   `rabbitmqctl` at 1–3 s a call, is taken once after the last cycle).
 * @property {Record<string, number>} handles Kinds of active handles above the baseline 100 ms after the stop
 *   (libuv releases a destroyed socket a loop turn or two later), and how many more.
 * @property {number} lingerMs How long those handles stayed before the process was back to its baseline, in
 *   milliseconds (0 when there were none; `Infinity` when still there after 10 s).
 * @property {string[]} timerOrigins Where the timers among them were created.
 */

/**
 * @typedef {object} CycleTargets
 * @property {string} name `application_name` / client name / connection name of every connection of the run.
 * @property {string} natsUrl A NATS server with JetStream whose connections can be counted.
 * @property {string} blackholedNatsUrl A fault proxy in blackhole mode: a start against it hangs until aborted.
 * @property {{ postgres(name: string): Promise<number>, redis(name: string): Promise<number> }} observer
 * @property {() => Promise<string[]>} natsConnectionNames
 * @property {string} mysqlDatabase A database of the run's own on the shared MariaDB, where its connections are counted.
 * @property {(database: string) => Promise<number>} mysqlConnections
 * @property {string} mqttUrl An MQTT broker whose connections can be counted per client id.
 * @property {() => Promise<string[]>} mqttClientIds The client ids connected to it, one per connection.
 * @property {string} amqpUrl A forwarding fault proxy in front of RabbitMQ, as an `amqp://` URL with credentials.
 * @property {() => number} amqpConnections Connections open through that proxy now.
 */

/** Short policies: a cycle never waits on production-sized backoffs. */
const startupOptions = {
  deadlineMs: 10_000,
  defaults: {
    retry: { initialDelayMs: 20, maxDelayMs: 50, maxElapsedMs: 1_000 },
    attemptTimeoutMs: 5_000,
    closeTimeoutMs: 2_000,
  },
};

/**
 * The connectors, as one application made of them, named `name` on every server.
 * @param {CycleTargets} targets
 * @param {{ database?: string, natsUrl?: string, signal?: AbortSignal }} [change]
 */
function application(targets, change = {}) {
  const url = new URL(postgresUrl);
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  return createStartup(
    [
      postgres({ url: url.toString(), applicationName: targets.name, warmConnections: 2 }),
      redis({ url: redisUrl, connectionName: targets.name }),
      mysql({ url: urlWith(mysqlUrl, { database: targets.mysqlDatabase }), warmConnections: 2 }),
      nats({
        servers: change.natsUrl ?? targets.natsUrl,
        connectionName: targets.name,
        jetstream: true,
        ignoreClusterUpdates: true,
      }),
      mqtt({ url: targets.mqttUrl, clientId: targets.name }),
      amqp({ url: targets.amqpUrl, connectionName: targets.name }),
    ],
    { ...startupOptions, ...(change.signal ? { signal: change.signal } : {}) },
  );
}

/**
 * Runs one cycle of `kind` through the core runner and returns how it ended.
 * @param {CycleTargets} targets
 * @param {CycleKind} kind
 * @returns {Promise<{ kind: CycleKind, outcome: string, code?: string }>}
 */
export async function runCycle(targets, kind) {
  if (kind === 'ready') {
    const app = application(targets);
    const {
      postgres: pool,
      redis: client,
      nats: resource,
      mysql: mysqlPool,
      mqtt: broker,
      amqp: connection,
    } = await app.start();
    // A real round trip on each, so the cycle exercises the resources, not just their creation.
    await Promise.all([
      pool.query('SELECT 1'),
      client.ping(),
      resource.nc.flush(),
      mysqlPool.query('SELECT 1'),
      broker.publishAsync(`${targets.name}/soak`, 'ping', { qos: 1 }),
      connection.createChannel().then((channel) => channel.close()),
    ]);
    const outcome = app.report().status;
    await app.stop();
    return { kind, outcome };
  }
  if (kind === 'failed') {
    const app = application(targets, { database: 'startup_reliability_no_such_db' });
    const error = await app.start().then(
      () => undefined,
      /** @param {{ code?: string }} e */ (e) => e,
    );
    // How the start ended, read before stop() ends the application's life.
    const outcome = app.report().status;
    await app.stop();
    return { kind, outcome, code: error?.code };
  }
  const controller = new AbortController();
  const app = application(targets, { natsUrl: targets.blackholedNatsUrl, signal: controller.signal });
  let ready = 0;
  // Cancel once every connector but NATS is open and NATS hangs: the rollback must close them all.
  const others = app.report().plugins.length - 1;
  app.on('plugin:ready', () => {
    if (++ready === others) controller.abort(new Error('SIGTERM (simulated)'));
  });
  const error = await app.start().then(
    () => undefined,
    /** @param {{ code?: string }} e */ (e) => e,
  );
  const outcome = app.report().status;
  await app.stop();
  return { kind, outcome, code: error?.code };
}

/**
 * What a cycle left behind, once the servers had time to notice closed sockets.
 * @param {CycleTargets} targets
 * @param {import('./active-handles.mjs').HandleWatch} watch Started before the first cycle.
 * @returns {Promise<Leftovers>}
 */
export async function leftovers(targets, watch) {
  const [postgres, redis, nats, mysqlLeft, mqttLeft, amqpLeft] = await Promise.all([
    settle(
      () => targets.observer.postgres(targets.name),
      (n) => n === 0,
    ),
    settle(
      () => targets.observer.redis(targets.name),
      (n) => n === 0,
    ),
    settle(
      async () => (await targets.natsConnectionNames()).filter((n) => n === targets.name).length,
      (n) => n === 0,
    ),
    settle(
      () => targets.mysqlConnections(targets.mysqlDatabase),
      (n) => n === 0,
    ),
    settle(
      async () => (await targets.mqttClientIds()).filter((id) => id === targets.name).length,
      (n) => n === 0,
    ),
    settle(
      () => targets.amqpConnections(),
      (n) => n === 0,
    ),
  ]);
  // After the server-side look: its own HTTP socket to the NATS monitor must not count.
  const began = performance.now();
  const handles = await watch.left(100);
  let lingerMs = 0;
  const timerOrigins = watch.timerOrigins();
  if (Object.keys(handles).length > 0) {
    const gone = Object.keys(await watch.left(10_000)).length === 0;
    lingerMs = gone ? Math.round(performance.now() - began) : Number.POSITIVE_INFINITY;
  }
  return {
    postgres,
    redis,
    nats,
    mysql: mysqlLeft,
    mqtt: mqttLeft,
    amqp: amqpLeft,
    handles,
    lingerMs,
    timerOrigins,
  };
}

/** @param {Leftovers} left */
export function isClean(left) {
  return (
    left.postgres === 0 &&
    left.redis === 0 &&
    left.nats === 0 &&
    left.mysql === 0 &&
    left.mqtt === 0 &&
    left.amqp === 0 &&
    Object.keys(left.handles).length === 0
  );
}
