import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** What `nats()` starts: the connection, plus the JetStream handles when `jetstream` was set. */
export interface NatsResource {
  /** The nats.js connection: `nc.publish()`, `nc.subscribe()`, `nc.request()`… */
  readonly nc: NatsConnection;
  /** JetStream client, when `jetstream` was set. */
  readonly js?: JetStreamClient;
  /** JetStream manager, when `jetstream` was set. */
  readonly jsm?: JetStreamManager;
}

/** What `nats({ jetstream: true })` starts: the connection and its JetStream handles. */
export interface NatsJetStreamResource extends NatsResource {
  /** JetStream client: `await js.publish('orders.created', data)`. */
  readonly js: JetStreamClient;
  /** JetStream manager: streams, consumers, account info. */
  readonly jsm: JetStreamManager;
}
