import type { RequestListener, Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { createStartup, describeError, handleSignals } from '@startup/core';
import {
  createMonitor,
  type GradeThresholds,
  liveProgress,
  loopbackGrades,
  originGrades,
  startSummary,
} from '@startup/monitor';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { failureText } from './failure-text.js';
import { openHistory } from './history.js';
import { loadSample } from './load-sample.js';
import { logOutput, sampleLogger, startupLogger } from './logger.js';
import { type Redact, redactor, secretsOf } from './redaction.js';
import type { SampleContext } from './sample-context.js';
import type { Services } from './services.js';
import { logCloses } from './shutdown.js';
import type { SignalGate } from './signal-gate.js';
import type { StartMarks } from './start-marks.js';
import { createWebServer, type WebServer } from './web-server.js';

/** Exit status of a configuration error (nothing was started). */
const exitConfig = 2;
/** Exit status of a failed start or a failed shutdown. */
const exitFailure = 1;
/** How long the web framework waits for the first readiness probe once the services have started, in milliseconds. */
const frameworkWaitMs = 100;

/** The outcome of the start, caught: it is awaited only once the server listens. */
type StartOutcome = { ok: true } | { ok: false; error: unknown };

/**
 * Runs the service: validates the configuration, starts the services, answers the probes while they start, loads
 * the web framework once they have started, and shuts down on SIGTERM/SIGINT; `signals` delivers those received while this module was loading, `marks` the entry's timing.
 */
export async function main(signals: SignalGate, marks: StartMarks): Promise<void> {
  let config: Config;
  let services: Services;
  try {
    ({ config, services } = loadSample(process.env));
  } catch (error) {
    // Messages of configuration errors are already redacted; the secrets are not known yet.
    process.stderr.write(`${describeError(error).message}\n`);
    process.exitCode = exitConfig;
    return;
  }

  const redact: Redact = redactor(secretsOf(config));
  const terminal = process.stderr;
  let drawing = terminal.isTTY === true;
  const logs = logOutput();
  // Created before Fastify (which gets it as its logger): the start logs while the web framework loads.
  const log = sampleLogger(config.logLevel, redact, logs);
  const startup = createStartup(services, {
    deadlineMs: config.startupTimeoutMs,
    logger: startupLogger(log, () => drawing),
    // Core's default backoff (150 ms ×1.1 per attempt, capped at 1 s, ±30 % jitter) without its own 60 s
    // budget: STARTUP_TIMEOUT_MS alone bounds the start.
    defaults: {
      retry: { maxElapsedMs: Number.POSITIVE_INFINITY },
      attemptTimeoutMs: config.attemptTimeoutMs,
    },
    health: { timeoutMs: config.healthTimeoutMs },
  });
  const grades = config.grades === 'loopback' ? loopbackGrades : originGrades;
  // Bounded well inside the shutdown's time: the shutdown waits for the monitor's history work.
  const history = openHistory(config.history, startup, {
    redact,
    timeoutMs: Math.min(5_000, Math.ceil(config.shutdownTimeoutMs / 2)),
  });
  // Created before the start: it records the start in the history, measures event-loop blocking, alerts.
  const monitor = createMonitor(startup, {
    service: config.serviceName,
    grades,
    ...(config.variant ? { variant: config.variant } : {}),
    ...(history ? { history } : {}),
    onError: (error) => log.warn({ err: describeError(error) }, 'monitor'),
  });
  logCloses(startup, log);
  monitor.onAlert((alert) => log.warn({ alert }, `start-up alert: ${alert.message}`));
  const ctx: SampleContext = { config, startup, monitor, history, redact };

  // A signal that came while the bundle loaded may still wait in the event loop: where Node loads modules
  // without turning the loop (Node 24 and later), the gate's listener has not run yet. One turn delivers it to
  // the gate, which then replays it at the hand-over below: a stop asked for before the start starts nothing.
  await new Promise((resolve) => setImmediate(resolve));
  // Node's own HTTP server listens and the services start now; the probes answer from that server while the
  // services start. The web framework (most of the code) loads once they have started.
  let outcome: Promise<StartOutcome> | undefined;
  // In a terminal, drawn from the start's first event.
  const live = drawing && !signals.holding ? liveProgress(startup, { stream: terminal }) : undefined;
  // Log lines on the same terminal are written above the live lines instead of tearing them.
  if (live && process.stdout.isTTY) logs.above(live);
  const stopDrawing = () => {
    logs.above(undefined);
    live?.();
    drawing = false;
  };
  const web = createWebServer(ctx, startupLogger(log));
  let listening: Promise<void> | undefined;
  if (!signals.holding) {
    // Bound before the start begins (synchronously, on an IP address): connections are accepted from now on,
    // and answered as soon as the event loop turns, even while the client libraries load.
    listening = web.listen(config.port, config.host);
    // Marked when it listens, not when the awaits below get there; its failure is handled where it is awaited.
    listening.then(() => (marks.listeningMs = performance.now())).catch(() => {});
    marks.startingMs = performance.now();
    outcome = startup.start().then(
      (): StartOutcome => ({ ok: true }),
      (error: unknown): StartOutcome => ({ ok: false, error }),
    );
  }
  // Set once the services have started: Fastify and the routes, mounted on the web server (see mountFramework).
  let framework: Promise<FastifyInstance | undefined> | undefined;

  let armed = false;
  // Bounds the shutdown whatever hangs; unref'd so a clean shutdown exits as soon as it is done.
  const armHardExit = () => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown did not complete in time: exiting');
      process.exit(exitFailure);
    }, config.shutdownTimeoutMs).unref();
  };
  const stop = async (options?: { reason?: string; force?: AbortSignal }) => {
    // Armed first: at SHUTDOWN_TIMEOUT_MS it fires before the drain's own timeout of the same length.
    armHardExit();
    // Readiness fails, SHUTDOWN_DELAY_MS, in-flight requests finish, then the plugins close in reverse
    // dependency order (a start still running is cancelled at once).
    await web.stop(options);
    await (await framework)?.close();
    await monitor.idle();
    monitor.dispose();
  };
  signals.handOver(() =>
    handleSignals(
      { stop },
      {
        onShutdown: (error) => {
          if (error) log.error({ err: describeError(error) }, 'shutdown completed with errors');
          process.exitCode = error ? exitFailure : (process.exitCode ?? 0);
        },
      },
    ),
  );
  // Read through a function: the phase changes under the awaits below.
  const stopping = () => web.phase === 'stopping';
  // The shutdown under way cancels the start: what is left is to see it settle.
  const stopped = async () => {
    await outcome;
    stopDrawing();
  };
  if (stopping() || listening === undefined) {
    // A signal arrived before the server listened: the shutdown stopped the application (and cancelled a start
    // under way); nothing to listen for.
    return stopped();
  }

  // Probes answer while the services start.
  try {
    await listening;
  } catch (error) {
    // A signal during the listen closed the server: the shutdown is under way, not a failure.
    if (stopping()) return stopped();
    stopDrawing();
    process.stderr.write(
      `${redact(`Cannot listen on ${config.host}:${config.port}: ${describeError(error).message}`)}\n`,
    );
    process.exitCode = exitFailure;
    // The start under way is cancelled and what it opened is closed.
    await startup.stop({ reason: 'cannot listen' }).catch(() => {});
    await outcome;
    monitor.dispose();
    return;
  }
  // A signal during the listen stopped the application already.
  if (stopping()) return stopped();
  if (outcome === undefined) return;
  const address = web.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  log.info(
    { port, host: config.host, sinceProcessStartMs: Math.round(performance.now()) },
    'probes answering; starting services',
  );
  if (config.apiKey === undefined) {
    log.warn('API_KEY is not set: GET /api/v1/stats is disabled (answers 403)');
  }

  const started = await outcome;
  if (!started.ok) {
    const { error } = started;
    stopDrawing();
    if (stopping()) {
      log.info('start aborted by a shutdown signal');
    } else {
      log.error({ err: describeError(error) }, 'start failed');
      terminal.write(failureText(error, startup.report(), redact));
      process.exitCode = exitFailure;
      armHardExit();
      await closeServer(web.server);
      await monitor.idle();
      monitor.dispose();
    }
    return;
  }
  marks.readyMs = performance.now();
  stopDrawing();
  const analysis = monitor.analysis();
  log.info(
    {
      wallMs: analysis.wallMs,
      grade: analysis.grade.grade,
      efficiency: analysis.efficiency,
      criticalPath: analysis.criticalPath,
      sinceProcessStartMs: Math.round(performance.now()),
      marks: roundedMarks(marks),
    },
    'started: ready for traffic',
  );
  // The first readiness probe's 200 goes out before Fastify loads (loading blocks the event loop for tens of
  // milliseconds); with no probe polling (a developer's terminal), the framework loads shortly after all the same.
  await Promise.race([web.answeredReady, delay(frameworkWaitMs)]);
  // A shutdown that began meanwhile still needs the framework for the requests in flight, waiting for it.
  if (stopping() && web.waiting === 0) return;
  framework = mountFramework(ctx, web, log);
  const mounted = await framework;
  if (mounted === undefined) {
    web.refuse();
    if (!stopping()) {
      process.exitCode = exitFailure;
      await stop({ reason: 'the web framework did not load' });
    }
    return;
  }
  if (stopping()) return;
  log.info({ sinceProcessStartMs: Math.round(performance.now()) }, 'web framework serving the routes');
  if (terminal.isTTY)
    await printSummary(ctx, grades, terminal).catch((error) => {
      log.warn({ err: describeError(error) }, 'could not print the start-up summary');
    });
}

/**
 * Loads Fastify (its own chunk) and the routes, on the web server that already listens, and hands it the
 * requests once it is ready; resolves `undefined` when it failed to load (logged) or a shutdown began meanwhile.
 */
async function mountFramework(
  ctx: SampleContext,
  web: WebServer,
  log: FastifyBaseLogger,
): Promise<FastifyInstance | undefined> {
  let handler: RequestListener | undefined;
  let fastify: FastifyInstance | undefined;
  try {
    const { createServer, mountRoutes } = await import('./server.js');
    fastify = createServer(log, web.server, (handle) => {
      handler = handle;
    });
    await mountRoutes(fastify, ctx, (request) => web.phaseAt(request));
    await fastify.ready();
  } catch (error) {
    log.error({ err: describeError(error) }, 'the web framework did not load');
    await fastify?.close().catch(() => {});
    return undefined;
  }
  if (handler !== undefined) web.handOver(handler);
  return fastify;
}

/** Closes a server that served no request but the probes (a failed start). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The marks to a tenth of a millisecond. */
function roundedMarks(marks: StartMarks): Record<string, number> {
  return Object.fromEntries(Object.entries(marks).map(([key, ms]) => [key, Math.round(ms * 10) / 10]));
}

/** In a terminal: the waterfall, grade, recommendations and trend of the start just completed. */
async function printSummary(ctx: SampleContext, grades: GradeThresholds, terminal: NodeJS.WriteStream) {
  await ctx.monitor.idle();
  const listed = (await ctx.history?.list(100).catch(() => undefined)) ?? [];
  // A history file may be shared by several services: show this one's starts only.
  const entries = listed.filter((e) => e.service === ctx.config.serviceName).slice(-30);
  const shown =
    entries.length > 0 ? entries : [{ recordedAt: new Date().toISOString(), report: ctx.startup.report() }];
  const width = terminal.columns >= 60 ? Math.min(terminal.columns, 120) : 100;
  terminal.write(ctx.redact(startSummary(shown, { grades, width, color: true })));
}
