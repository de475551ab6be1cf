import { type AnyPlugin, createStartup, type Startup } from '@startup/core';
import { createFaultProxy } from '@startup/fault-proxy';
import { recordingLogger } from '@startup/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HandleWatch, watchHandles } from '../scripts/active-handles.mjs';
import { recordSection } from '../scripts/doc-section.mjs';
import { openServerObserver, type ServerObserver, settle } from '../scripts/server-observer.mjs';
import { type EverythingSaid, recordEverything } from './everything-said.js';
import type { Fault } from './fault-case.js';
import { cellKey, type MatrixCell, matrixTable } from './matrix-table.js';
import { runtimeFaults } from './runtime-faults.js';
import {
  passwords,
  type SecuredServers,
  type ServiceKit,
  serviceKits,
  startSecuredServers,
} from './service-kits.js';
import { startFaults } from './start-faults.js';
import { testPolicy } from './test-policy.js';
import { waitFor } from './wait-for.js';

// The fault matrix: every fault × every connector, through a fault proxy and the core runner.
// Every connector carries a password (Redis, NATS, MariaDB, Mosquitto and the HTTP upstream are servers of the
// test's own that want one), and nothing the application sees may show one: events, health results, reports, errors, log lines.
// Cases run concurrently (each has its own proxy and connection names); the table goes to
// docs/reliability.md once every case ran, when STARTUP_WRITE_DOCS=1.

const faults: Fault[] = [...startFaults, ...runtimeFaults];
const cells = new Map<string, MatrixCell>();
let observer: ServerObserver;
let secured: SecuredServers;
let kits: ServiceKit[] = [];
let watch: HandleWatch;
let began = 0;

// Kits need the servers; the case list needs the kits' names only, known up front.
const serviceNames = [
  ['postgres', 'PostgreSQL'],
  ['redis', 'Redis'],
  ['nats', 'NATS'],
  ['mysql', 'MySQL (MariaDB)'],
  ['mqtt', 'MQTT'],
  ['amqp', 'RabbitMQ'],
  ['http', 'HTTP'],
] as const;

beforeAll(async () => {
  [observer, secured] = await Promise.all([openServerObserver(), startSecuredServers()]);
  kits = serviceKits(secured, observer);
  watch = watchHandles();
  began = performance.now();
});

afterAll(async () => {
  const totalMs = performance.now() - began;
  try {
    // Whatever a case opened is closed: no socket, server or timer above what the fixtures hold.
    const left = await watch.left(3_000);
    expect({ left, origins: watch.timerOrigins() }).toEqual({ left: {}, origins: [] });
    watch.dispose();
  } finally {
    await Promise.all([observer?.close(), secured?.stop()]);
  }
  if (cells.size === faults.length * kits.length) {
    await recordSection('fault-matrix', matrixTable(faults, kits, cells, totalMs));
  }
});

/** The first line of a case's failure, as the table shows it: short, no `|`, no password. */
function cellError(error: unknown): string {
  let text = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replaceAll('|', '/');
  for (const password of Object.values(passwords)) text = text.replaceAll(password, '****');
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

describe.concurrent('fault matrix', () => {
  for (const fault of faults) {
    for (const [name, label] of serviceNames) {
      it(`${label}, ${fault.label}: ${fault.expected}`, async ({ expect }) => {
        const kit = kits.find((k) => k.name === name)!;
        const key = cellKey(fault, kit);
        const proxy = await createFaultProxy({ target: kit.target });
        const id = `rel-${fault.id}-${kit.name}-${process.pid}`;
        const apps: Startup<unknown>[] = [];
        const lines: string[] = [];
        const said: EverythingSaid[] = [];
        const app = (plugin: AnyPlugin) => {
          const started = createStartup([plugin], {
            ...testPolicy,
            logger: recordingLogger(lines),
          }) as Startup<Record<string, unknown>>;
          const everything = recordEverything(started);
          said.push(everything);
          // Whatever start() throws is what an application logs: record it.
          const start = started.start.bind(started);
          Object.assign(started, {
            start: () =>
              start().catch((error: unknown) => {
                everything.error(error);
                throw error;
              }),
          });
          apps.push(started);
          return started;
        };
        try {
          const result = await fault.run({
            kit,
            proxy,
            at: { host: proxy.host, port: proxy.port },
            id,
            expect,
            app,
          });
          cells.set(key, result);
          expect(result.outcome).toBe(fault.expected);
          for (const started of apps) await started.stop();
          const texts = [...lines, ...said.flatMap((s) => s.texts())];
          for (const password of Object.values(passwords)) {
            const shown = texts.filter((text) => text.includes(password));
            expect(shown, `a password shown in ${shown.length} text(s) the application sees`).toEqual([]);
          }
          // Nothing left: no client connection at the proxy, none on the server under the case's name.
          await waitFor('no connection left at the proxy', () => proxy.connections === 0, 3_000);
          const onServer = await settle(
            () => kit.serverConnections(id),
            (n) => n === 0,
          );
          expect(onServer).toBe(0);
        } catch (error) {
          cells.set(key, { error: cellError(error) });
          throw error;
        } finally {
          await Promise.all(apps.map((started) => started.stop().catch(() => {})));
          await proxy.close();
        }
      });
    }
  }
});
