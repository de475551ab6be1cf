import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One row of `rabbitmqctl list_connections name client_properties --formatter json`. */
interface ConnectionRow {
  name?: string;
  client_properties?: unknown[];
}

/**
 * Connections the local RabbitMQ broker holds whose client property `connection_name` is `connectionName`, read with
 * `rabbitmqctl list_connections` (the management plugin is not enabled on the shared broker). Each call of
 * `rabbitmqctl` boots an Erlang VM (about 1 to 3 s of CPU), which slows the broker itself on a small machine; so one
 * runs at a time, and callers that come while one runs share the next one, which starts after they asked.
 */
export async function rabbitmqConnections(connectionName: string): Promise<number> {
  const rows = await snapshot();
  return rows.filter((row) => nameOf(row) === connectionName).length;
}

let running: Promise<ConnectionRow[]> | undefined;
let queued: Promise<ConnectionRow[]> | undefined;

function snapshot(): Promise<ConnectionRow[]> {
  if (running === undefined) {
    running = listConnections().finally(() => {
      running = undefined;
    });
    return running;
  }
  // The run in flight began before this call and may miss what just changed: wait for the next one.
  queued ??= running
    .catch(() => undefined)
    .then(() => {
      queued = undefined;
      return snapshot();
    });
  return queued;
}

async function listConnections(): Promise<ConnectionRow[]> {
  const { stdout } = await run(
    'rabbitmqctl',
    ['list_connections', 'name', 'client_properties', '--formatter', 'json', '-q'],
    { timeout: 30_000 },
  );
  return JSON.parse(stdout.trim() === '' ? '[]' : stdout) as ConnectionRow[];
}

/**
 * {@link rabbitmqConnections} once the broker has noticed closed sockets: polls until none is left or `withinMs`
 * (milliseconds, defaults to 5000) has passed, and returns the last count.
 */
export async function rabbitmqConnectionsLeft(connectionName: string, withinMs = 5_000): Promise<number> {
  const deadline = Date.now() + withinMs;
  let n = await rabbitmqConnections(connectionName);
  while (n > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    n = await rabbitmqConnections(connectionName);
  }
  return n;
}

function nameOf(row: ConnectionRow): string | undefined {
  for (const property of row.client_properties ?? []) {
    if (Array.isArray(property) && property[0] === 'connection_name') return String(property[2]);
  }
  return undefined;
}

/** The shared local RabbitMQ broker; `STARTUP_TEST_AMQP_URL` overrides it. */
export const amqpUrl = process.env.STARTUP_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
