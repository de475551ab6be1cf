import type { HandleWatch } from './active-handles.mjs';

/** How one cycle's start ends: ready (then stopped), failed on a permanent error, or aborted. */
export type CycleKind = 'ready' | 'failed' | 'aborted';

/** What a cycle left behind: all zero / empty when nothing leaked. */
export interface Leftovers {
  /** Backends in `pg_stat_activity` with the run's `application_name`. */
  postgres: number;
  /** Connections in Redis' `CLIENT LIST` with the run's client name. */
  redis: number;
  /** Connections in the NATS server's `/connz` with the run's connection name. */
  nats: number;
  /** Connections in MariaDB's `PROCESSLIST` on the run's database. */
  mysql: number;
  /** Connections the MQTT broker logged for the run's client id and not closed. */
  mqtt: number;
  /**
   * Connections still open through the proxy in front of RabbitMQ (the client has not closed its socket). The
   * broker's own count (`rabbitmqctl`, 1–3 s a call) is taken once, after the last cycle.
   */
  amqp: number;
  /** Kinds of active handles above the baseline 100 ms after the stop, and how many more. */
  handles: Record<string, number>;
  /** How long those handles stayed, in milliseconds (0 when none; `Infinity` when still there after 10 s). */
  lingerMs: number;
  /** Where the timers among them were created. */
  timerOrigins: string[];
}

/** Where the cycles connect and how their connections are counted. */
export interface CycleTargets {
  /** `application_name` / client name / connection name of every connection of the run. */
  name: string;
  /** A NATS server with JetStream whose connections can be counted. */
  natsUrl: string;
  /** A fault proxy in blackhole mode: a start against it hangs until aborted. */
  blackholedNatsUrl: string;
  observer: { postgres(name: string): Promise<number>; redis(name: string): Promise<number> };
  natsConnectionNames(): Promise<string[]>;
  /** A database of the run's own on the shared MariaDB, where its connections are counted. */
  mysqlDatabase: string;
  /** Connections on `database` in MariaDB's `PROCESSLIST`. */
  mysqlConnections(database: string): Promise<number>;
  /** An MQTT broker whose connections can be counted per client id. */
  mqttUrl: string;
  /** The client ids connected to it, one per connection. */
  mqttClientIds(): Promise<string[]>;
  /** A forwarding fault proxy in front of RabbitMQ, as an `amqp://` URL with the broker's credentials. */
  amqpUrl: string;
  /** Connections open through that proxy now. */
  amqpConnections(): number;
}

/** Runs one cycle of `kind` through the core runner and says how it ended. */
export declare function runCycle(
  targets: CycleTargets,
  kind: CycleKind,
): Promise<{ kind: CycleKind; outcome: string; code?: string }>;

/** What a cycle left behind, once the servers had time to notice closed sockets. */
export declare function leftovers(targets: CycleTargets, watch: HandleWatch): Promise<Leftovers>;

/** True when nothing was left. */
export declare function isClean(left: Leftovers): boolean;
