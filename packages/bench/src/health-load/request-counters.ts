/** Counts the requests in a client-to-server byte stream, chunk by chunk, whatever the chunk boundaries. */
export interface RequestCounter {
  feed(chunk: Buffer): void;
  /** Requests seen so far. */
  readonly count: number;
}

/** The protocol a counting proxy speaks. */
export type Protocol = 'postgres' | 'redis' | 'nats';

/** A fresh counter for one client connection. */
export function requestCounter(protocol: Protocol): RequestCounter {
  if (protocol === 'postgres') return framed(postgresRequests);
  if (protocol === 'redis') return framed(redisRequests);
  return framed(natsRequests);
}

/** A parser reads whole requests from `buffer` at `state.at` and returns the number it consumed. */
type Parser = (buffer: Buffer, state: { at: number; startup: boolean }) => number;

function framed(parse: Parser): RequestCounter {
  let pending: Buffer = Buffer.alloc(0);
  let count = 0;
  const state = { at: 0, startup: true };
  return {
    feed(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      state.at = 0;
      count += parse(pending, state);
      pending = pending.subarray(state.at);
    },
    get count() {
      return count;
    },
  };
}

const sslRequest = 80877103;
const gssRequest = 80877104;

/**
 * PostgreSQL frontend messages: an untyped start-up message (after an optional SSL or GSS request), then
 * `type byte + Int32 length`. Counts simple queries ('Q') and extended-protocol executions ('E').
 */
const postgresRequests: Parser = (buffer, state) => {
  let queries = 0;
  for (;;) {
    if (state.startup) {
      if (buffer.length - state.at < 8) return queries;
      const length = buffer.readInt32BE(state.at);
      if (buffer.length - state.at < length) return queries;
      const code = buffer.readInt32BE(state.at + 4);
      state.at += length;
      if (code !== sslRequest && code !== gssRequest) state.startup = false;
      continue;
    }
    if (buffer.length - state.at < 5) return queries;
    const type = String.fromCharCode(buffer[state.at]!);
    const length = buffer.readInt32BE(state.at + 1);
    if (buffer.length - state.at < length + 1) return queries;
    if (type === 'Q' || type === 'E') queries++;
    state.at += length + 1;
  }
};

/** Redis RESP: every command is an array of bulk strings (`*n`, then n × `$len` + bytes). Counts commands. */
const redisRequests: Parser = (buffer, state) => {
  let commands = 0;
  for (;;) {
    let at = state.at;
    const header = line(buffer, at);
    if (!header) return commands;
    if (buffer[at] !== 0x2a /* '*' */) {
      // An inline command (not what ioredis sends): one line, one command.
      state.at = header.next;
      commands++;
      continue;
    }
    const items = Number(header.text.slice(1));
    at = header.next;
    let complete = true;
    for (let i = 0; i < items; i++) {
      const bulk = line(buffer, at);
      if (!bulk) {
        complete = false;
        break;
      }
      const end = bulk.next + Number(bulk.text.slice(1)) + 2;
      if (end > buffer.length) {
        complete = false;
        break;
      }
      at = end;
    }
    if (!complete) return commands;
    state.at = at;
    commands++;
  }
};

/** NATS client protocol: lines, `PUB`/`HPUB` followed by a payload. Counts PINGs and publications (requests). */
const natsRequests: Parser = (buffer, state) => {
  let requests = 0;
  for (;;) {
    const current = line(buffer, state.at);
    if (!current) return requests;
    const [verb, ...args] = current.text.split(' ').filter((s) => s !== '');
    const op = verb?.toUpperCase();
    let next = current.next;
    if (op === 'PUB' || op === 'HPUB') {
      next += Number(args[args.length - 1]) + 2;
      if (next > buffer.length) return requests;
      requests++;
    } else if (op === 'PING') requests++;
    state.at = next;
  }
};

function line(buffer: Buffer, from: number): { text: string; next: number } | undefined {
  const end = buffer.indexOf('\r\n', from);
  if (end < 0) return undefined;
  return { text: buffer.toString('latin1', from, end), next: end + 2 };
}
