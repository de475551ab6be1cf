export { unprovenCodes } from './code-registry.js';
export type { DirectInits, DirectStart } from './direct-inits.js';
export { directInits } from './direct-inits.js';
export { eventually } from './eventually.js';
export type { TestClock, TestClockOptions } from './fake-clock.js';
export { createTestClock } from './fake-clock.js';
export { delay, useFakeTime } from './fake-time.js';
export { freePort } from './free-port.js';
export type { HandleWatch } from './handles.js';
export { expectNothingLeft, watchHandles } from './handles.js';
export type { TestHttpUpstream, UpstreamHandler } from './http-upstream.js';
export { startHttpUpstream } from './http-upstream.js';
export type { UrlChange } from './local-servers.js';
export { addressOf, mqttUrl, natsUrl, postgresUrl, redisUrl, urlWith } from './local-servers.js';
export type { SecuredMariadb } from './mariadb-server.js';
export { startSecuredMariadb } from './mariadb-server.js';
export type { MosquittoOptions, MosquittoServer } from './mosquitto-server.js';
export { startMosquitto } from './mosquitto-server.js';
export {
  createMysqlDatabase,
  dropMysqlDatabase,
  mysqlConnections,
  mysqlConnectionsLeft,
  mysqlUrl,
} from './mysql-connections.js';
export type { NatsServer, NatsServerOptions } from './nats-server.js';
export { startNatsServer } from './nats-server.js';
export { optionsTableOf } from './options-table.js';
export type { ContextRecord, PluginContextOptions, RecordedStep, RuntimeReport } from './plugin-context.js';
export { contextRecord, pluginContext, resourceContext } from './plugin-context.js';
export { postgresConnections, postgresConnectionsLeft } from './postgres-connections.js';
export { amqpUrl, rabbitmqConnections, rabbitmqConnectionsLeft } from './rabbitmq-connections.js';
export { recordingLogger } from './recording-logger.js';
export type { SecuredRedis } from './redis-server.js';
export { redisAdmin, redisClientsNamed, startSecuredRedis } from './redis-server.js';
export type { RetriedStart, RetryBudget } from './retried-start.js';
export { retriedStart } from './retried-start.js';
export type { ServerProcess, ServerProcessOptions } from './server-process.js';
export { startServerProcess } from './server-process.js';
export { settlesWithin } from './settles-within.js';
export type { SilentServer } from './silent-server.js';
export { startSilentServer } from './silent-server.js';
export { uniqueName } from './unique-name.js';
