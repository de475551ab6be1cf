import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStartup, type Startup } from '@startup/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { SampleContext } from '../src/sample-context.js';
import { createWebServer, type WebServer } from '../src/web-server.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((stop) => stop().catch(() => {})));
  stops = [];
});

/** The sample's web server on a free port, for an application whose only plugin starts when `gate` resolves. */
async function serve(gate: Promise<void>) {
  const startup = createStartup([{ name: 'store', init: () => gate.then(() => 'store') }]);
  const ctx = {
    config: {
      serviceName: 'web-server',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 5_000,
      apiKey: 'key-0123456789abcdef',
    },
    startup,
    monitor: undefined,
    history: undefined,
    redact: (text: string) => text,
  } as unknown as SampleContext;
  const web = createWebServer(ctx, silent);
  await web.listen(0, '127.0.0.1');
  stops.push(() => web.stop({ reason: 'test over' }));
  return { web, startup: startup as Startup<unknown> };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(web: WebServer, path: string): Promise<Answer> {
  const { port } = web.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    })
      .on('error', reject)
      .end();
  });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the web server before the web framework has loaded', () => {
  it('answers the probes while the services start, and 503 NOT_READY to anything else', async () => {
    const gate = deferred();
    const { web, startup } = await serve(gate.promise);
    const started = startup.start();
    expect((await get(web, '/health/live')).status).toBe(200);
    expect((await get(web, '/health/ready')).status).toBe(503);
    const other = await get(web, '/api/v1/events/counts?x=<script>');
    expect(other.status).toBe(503);
    expect(other.headers['retry-after']).toBe('1');
    expect(JSON.parse(other.body)).toMatchObject({ code: 'NOT_READY', message: 'The service is starting' });
    expect(other.body).not.toContain('script');
    gate.resolve();
    await started;
    expect((await get(web, '/health/ready')).status).toBe(200);
  });

  it('holds requests that come once started until the framework takes them, then hands them over in order', async () => {
    const { web, startup } = await serve(Promise.resolve());
    await startup.start();
    const first = get(web, '/api/v1/first');
    const second = get(web, '/api/v1/second');
    // Both are waiting (the probes still answer meanwhile).
    expect((await get(web, '/health/ready')).status).toBe(200);
    const seen: string[] = [];
    web.handOver((request, response) => {
      seen.push(request.url ?? '');
      response.end(`framework: ${request.url}`);
    });
    expect((await first).body).toBe('framework: /api/v1/first');
    expect((await second).body).toBe('framework: /api/v1/second');
    expect(seen).toEqual(['/api/v1/first', '/api/v1/second']);
    // The probes stay in front of the framework.
    expect((await get(web, '/health/ready')).status).toBe(200);
    expect(seen).toHaveLength(2);
  });

  it('hands a request that waited through the start of a shutdown to the framework: it was in flight', async () => {
    const { web, startup } = await serve(Promise.resolve());
    await startup.start();
    const waiting = get(web, '/api/v1/waiting');
    expect((await get(web, '/health/ready')).status).toBe(200);
    const stopped = web.stop({ reason: 'SIGTERM' });
    expect(web.phase).toBe('stopping');
    // Arrived while started: the routes treat it as started, as they would a request already in their hands.
    let met: string | undefined;
    web.handOver((request, response) => {
      met = web.phaseAt(request);
      response.end('framework: done');
    });
    expect((await waiting).body).toBe('framework: done');
    expect(met).toBe('started');
    await stopped;
    expect(web.server.listening).toBe(false);
    expect(startup.state).toBe('stopped');
  });

  it('answers 503 to the waiting requests and to later ones once refused (the framework did not load)', async () => {
    const { web, startup } = await serve(Promise.resolve());
    await startup.start();
    const waiting = get(web, '/api/v1/waiting');
    expect((await get(web, '/health/ready')).status).toBe(200);
    expect(web.waiting).toBe(1);
    web.refuse();
    for (const answer of [await waiting, await get(web, '/api/v1/later')]) {
      expect(answer.status).toBe(503);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'NOT_READY', message: 'The service is started' });
    }
    expect((await get(web, '/health/ready')).status).toBe(200);
  });
});
