import { EventEmitter } from 'node:events';
import type { RetryPolicy } from '@startup/core';
import { backoffDelay } from '@startup/core/plugin-kit';
import type { ChannelModel, ChannelOptions, Connection } from 'amqplib';
import { closeConnection } from './close-connection.js';
import { destroyConnection } from './connection-socket.js';

/** What the connection reports to the plugin after start. */
export interface ConnectionEvents {
  /** The connection was lost (`error`: amqplib's reason, if any); `reconnecting` says whether it will come back. */
  lost(error: Error | undefined, reconnecting: boolean): void;
  /** A reconnection attempt failed; another follows after the backoff. */
  attemptFailed(error: unknown): void;
  /** A new connection is open. */
  restored(): void;
}

const forwarded = ['error', 'blocked', 'unblocked', 'update-secret-ok'] as const;

/**
 * The resource: an amqplib `ChannelModel` that outlives the loss of its connection. It delegates to the open amqplib
 * connection and, when that is lost, opens a new one with `reconnect`'s backoff (never while starting: the first
 * connection is the start's). Channels do not survive a loss; `createChannel` rejects while reconnecting.
 * `close` is final: it closes the connection and stops reconnecting.
 */
export class ReconnectingConnection extends EventEmitter implements ChannelModel {
  #current: ChannelModel | undefined;
  #last: ChannelModel;
  #closing = false;
  #failures = 0;
  #previousDelay = 0;
  #timer: NodeJS.Timeout | undefined;
  readonly #attempts = new AbortController();
  readonly #detach = new Map<ChannelModel, () => void>();

  constructor(
    first: ChannelModel,
    private readonly open: (signal: AbortSignal) => Promise<ChannelModel>,
    private readonly policy: RetryPolicy | false,
    private readonly events: ConnectionEvents,
    private readonly random: () => number = Math.random,
  ) {
    super();
    this.#last = first;
    this.#attach(first);
  }

  /** The amqplib connection now open (the last one while reconnecting): `serverProperties` and the tuned limits. */
  get connection(): Connection {
    return this.#last.connection;
  }

  /** The open amqplib connection, or `undefined` while reconnecting or once closed. */
  get current(): ChannelModel | undefined {
    return this.#current;
  }

  async createChannel(options?: ChannelOptions) {
    return this.#open().createChannel(options);
  }

  async createConfirmChannel(options?: ChannelOptions) {
    return this.#open().createConfirmChannel(options);
  }

  async updateSecret(newSecret: Buffer, reason: string) {
    return this.#open().updateSecret(newSecret, reason);
  }

  /** Closes for good: stops reconnecting and closes the connection gracefully. */
  close(): Promise<void> {
    return this.shutdown(new AbortController().signal);
  }

  /** {@link close}, with the socket destroyed at once when `signal` aborts. Never rejects. */
  async shutdown(signal: AbortSignal): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#attempts.abort(new Error('closed'));
    const model = this.#current;
    this.#current = undefined;
    if (model !== undefined) {
      this.#detach.get(model)?.();
      await closeConnection(model, signal);
    }
    this.emit('close');
  }

  #open(): ChannelModel {
    if (this.#current === undefined) {
      throw new Error(this.#closing ? 'Connection closed' : 'Connection lost; reconnecting');
    }
    return this.#current;
  }

  #attach(model: ChannelModel): void {
    this.#current = model;
    this.#last = model;
    const relays = forwarded.map((event) => {
      const relay = (...args: unknown[]) => this.emit(event, ...args);
      model.on(event, relay);
      return [event, relay] as const;
    });
    const onClose = (error?: Error) => this.#lost(model, error);
    model.on('close', onClose);
    this.#detach.set(model, () => {
      for (const [event, relay] of relays) model.off(event, relay);
      model.off('close', onClose);
      // A late error of a detached connection must not be thrown for want of a listener.
      model.on('error', ignore);
      this.#detach.delete(model);
    });
  }

  #lost(model: ChannelModel, error: Error | undefined): void {
    this.#detach.get(model)?.();
    if (this.#current !== model || this.#closing) return;
    this.#current = undefined;
    this.events.lost(error, this.policy !== false);
    this.#schedule();
  }

  #schedule(): void {
    if (this.policy === false || this.#closing) return;
    this.#failures += 1;
    this.#previousDelay = Math.round(
      backoffDelay(this.policy, this.#failures, this.#previousDelay, this.random),
    );
    this.#timer = setTimeout(() => this.#attempt(), this.#previousDelay);
  }

  #attempt(): void {
    this.open(this.#attempts.signal).then(
      (model) => {
        if (this.#closing) {
          void destroyConnection(model);
          return;
        }
        this.#failures = 0;
        this.#previousDelay = 0;
        this.#attach(model);
        this.events.restored();
      },
      (error: unknown) => {
        if (this.#closing) return;
        this.events.attemptFailed(error);
        this.#schedule();
      },
    );
  }
}

function ignore(): void {}
