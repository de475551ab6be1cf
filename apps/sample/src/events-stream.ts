import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { definePlugin } from '@startup/core';
import { invalidOption, loadClientLibrary } from '@startup/core/plugin-kit';
import type { NatsJetStreamResource } from '@startup/nats';

/** Where an event was published: the stream and its sequence number there. */
export interface Published {
  stream: string;
  seq: number;
  /** The server had already seen this message id (a retried request): nothing was stored twice. */
  duplicate: boolean;
}

/** What the `events-stream` plugin gives handlers: publishing on the events stream. */
export interface EventStream {
  readonly stream: string;
  /** `<subjectPrefix>.<type>`. */
  subject(type: string): string;
  /** Publishes `data` as JSON; `msgId` de-duplicates retries within the stream's window. */
  publish(type: string, data: unknown, msgId: string): Promise<Published>;
  /** Messages in the stream now: a JetStream API round trip, for the health check. */
  messages(): Promise<number>;
}

/** Options of {@link eventsStream}. */
export interface EventsStreamOptions {
  /** Stream name. Defaults to `STARTUP_SAMPLE_EVENTS`. */
  stream?: string;
  /** Subjects are `<subjectPrefix>.<type>`. Defaults to `startup-sample.events`. */
  subjectPrefix?: string;
  /** Messages kept; the oldest are discarded past it. Defaults to 100000. */
  maxMessages?: number;
  /** Age after which a message is discarded, in milliseconds. Defaults to 7 days. */
  maxAgeMs?: number;
}

const msPerNano = 1_000_000;
/** JetStream's "stream name already in use" (10058), absent from nats.js' `JetStreamApiCodes`. */
const streamNameInUse = 10_058;

/**
 * A custom plugin that depends on `nats` (with JetStream): it creates the events stream at start, or
 * updates it when its settings changed, and gives handlers an {@link EventStream}. Its health check
 * reads the stream's info (a JetStream API round trip).
 */
export function eventsStream(options: EventsStreamOptions = {}) {
  const config = streamConfig(options);
  const prefix = options.subjectPrefix ?? 'startup-sample.events';
  return definePlugin<{ nats: NatsJetStreamResource }>()({
    name: 'events-stream',
    dependsOn: ['nats'],
    async init({ deps, signal, step }) {
      await step('ensure-stream', () => ensureStream(deps.nats.jsm, config, signal));
      const { js, jsm } = deps.nats;
      return {
        stream: config.name,
        subject: (type) => `${prefix}.${type}`,
        async publish(type, data, msgId) {
          const ack = await js.publish(`${prefix}.${type}`, JSON.stringify(data), { msgID: msgId });
          return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
        },
        async messages() {
          return (await jsm.streams.info(config.name)).state.messages;
        },
      } satisfies EventStream as EventStream;
    },
    async healthCheck(events) {
      return { messages: await events.messages() };
    },
  });
}

function streamConfig(options: EventsStreamOptions): Partial<StreamConfig> & { name: string } {
  const at = 'events-stream';
  const name = options.stream ?? 'STARTUP_SAMPLE_EVENTS';
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    throw invalidOption('stream', 'letters, digits, "_" or "-" (at most 64)', name, at);
  }
  const prefix = options.subjectPrefix ?? 'startup-sample.events';
  if (typeof prefix !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw invalidOption('subjectPrefix', 'dot-separated tokens of letters, digits, "_" or "-"', prefix, at);
  }
  const maxMessages = options.maxMessages ?? 100_000;
  if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
    throw invalidOption('maxMessages', 'a positive integer', maxMessages, at);
  }
  const maxAgeMs = options.maxAgeMs ?? 7 * 86_400_000;
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs < 1) {
    throw invalidOption('maxAgeMs', 'a positive integer of milliseconds', maxAgeMs, at);
  }
  return {
    name,
    subjects: [`${prefix}.>`],
    max_msgs: maxMessages,
    max_age: maxAgeMs * msPerNano,
    duplicate_window: 2 * 60_000 * msPerNano,
  };
}

// One loader for every start: loadClientLibrary loads what it once loaded only once.
const importJetStream = () => import('@nats-io/jetstream');

async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  // Loaded here, not at the top: the NATS connector loaded JetStream by now, so this costs nothing, while a
  // top-level import would evaluate all of nats.js with the bundle, before anything starts.
  const { JetStreamApiCodes, JetStreamApiError } = await loadClientLibrary(
    importJetStream,
    'JetStreamApiError',
    {
      plugin: 'events-stream',
      package: '@nats-io/jetstream',
    },
  );
  try {
    const info = await jsm.streams.info(config.name);
    const current = info.config;
    const changed =
      current.max_msgs !== config.max_msgs ||
      current.max_age !== config.max_age ||
      current.subjects.join() !== config.subjects!.join();
    if (changed) await jsm.streams.update(config.name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      await jsm.streams.add(config);
    } catch (addError) {
      // Another replica created it between our info and add: that is the outcome we wanted.
      if (!(addError instanceof JetStreamApiError && addError.code === streamNameInUse)) throw addError;
    }
  }
  signal.throwIfAborted();
}
