import { createStartup, describeError, handleSignals } from '@startup/core';
import {
  createMonitor,
  type GradeThresholds,
  liveProgress,
  loopbackGrades,
  originGrades,
  startSummary,
} from '@startup/monitor';
import type { Config } from './config.js';
import { failureText } from './failure-text.js';
import { openHistory } from './history.js';
import { loadSample } from './load-sample.js';
import { logOutput, startupLogger } from './logger.js';
import { type Redact, redactor, secretsOf } from './redaction.js';
import type { SampleContext } from './sample-context.js';
import { createServer, mountRoutes } from './server.js';
import type { Services } from './services.js';
import { logCloses } from './shutdown.js';
import type { SignalGate } from './signal-gate.js';

/** Exit status of a configuration error (nothing was started). */
const exitConfig = 2;
/** Exit status of a failed start or a failed shutdown. */
const exitFailure = 1;

/**
 * Runs the service: validates the configuration, listens, starts the services, and shuts down on
 * SIGTERM/SIGINT; `signals` delivers those received while this module was loading.
 */
export async function main(signals: SignalGate): Promise<void> {
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
  const server = createServer(config, redact, logs);
  const startup = createStartup(services, {
    deadlineMs: config.startupTimeoutMs,
    logger: startupLogger(server.log, () => drawing),
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
    onError: (error) => server.log.warn({ err: describeError(error) }, 'monitor'),
  });
  logCloses(startup, server.log);
  monitor.onAlert((alert) => server.log.warn({ alert }, `start-up alert: ${alert.message}`));
  const ctx: SampleContext = { config, startup, monitor, history, redact };
  await mountRoutes(server, ctx);

  let armed = false;
  // Bounds the shutdown whatever hangs; unref'd so a clean shutdown exits as soon as it is done.
  const armHardExit = () => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      server.log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown did not complete in time: exiting');
      process.exit(exitFailure);
    }, config.shutdownTimeoutMs).unref();
  };
  // A signal that came while the bundle loaded may still wait in the event loop: where Node loads modules
  // without turning the loop (Node 24 and later), the gate's listener has not run yet. One turn delivers it to
  // the gate, so the hand-over below replays it instead of core's handler getting it after the listen.
  await new Promise((resolve) => setImmediate(resolve));
  signals.handOver(() =>
    handleSignals(
      {
        stop: async (options) => {
          // Armed first: at SHUTDOWN_TIMEOUT_MS it fires before the drain's own timeout of the same length.
          armHardExit();
          // The drain of @startup/fastify: readiness fails, SHUTDOWN_DELAY_MS, in-flight requests finish, then
          // the plugins close in reverse dependency order (a start still running is cancelled at once).
          await server.startup.stop(options);
          await monitor.idle();
          monitor.dispose();
        },
      },
      {
        onShutdown: (error) => {
          if (error) server.log.error({ err: describeError(error) }, 'shutdown completed with errors');
          process.exitCode = error ? exitFailure : (process.exitCode ?? 0);
        },
      },
    ),
  );
  // Read through a function: the phase changes under the awaits below.
  const stopping = () => server.startup.phase === 'stopping';
  if (stopping()) {
    // A signal arrived before the start (the shutdown stopped the application already): nothing to listen
    // for or start.
    return;
  }

  // Probes answer while the services start: listen first.
  try {
    await server.listen({ port: config.port, host: config.host });
  } catch (error) {
    // A signal during the listen closed the server: the shutdown is under way, not a failure.
    if (stopping()) return;
    process.stderr.write(
      `${redact(`Cannot listen on ${config.host}:${config.port}: ${describeError(error).message}`)}\n`,
    );
    process.exitCode = exitFailure;
    monitor.dispose();
    return;
  }
  // A signal during the listen stopped the application already: it must not be started now.
  if (stopping()) return;
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  server.log.info(
    { port, host: config.host, sinceProcessStartMs: Math.round(performance.now()) },
    'probes answering; starting services',
  );
  if (config.apiKey === undefined) {
    server.log.warn('API_KEY is not set: GET /api/v1/stats is disabled (answers 403)');
  }

  const live = drawing ? liveProgress(startup, { stream: terminal }) : undefined;
  // Log lines on the same terminal are written above the live lines instead of tearing them.
  if (live && process.stdout.isTTY) logs.above(live);
  const stopDrawing = () => {
    logs.above(undefined);
    live?.();
  };
  try {
    await startup.start();
  } catch (error) {
    stopDrawing();
    drawing = false;
    if (stopping()) {
      server.log.info('start aborted by a shutdown signal');
    } else {
      server.log.error({ err: describeError(error) }, 'start failed');
      terminal.write(failureText(error, startup.report(), redact));
      process.exitCode = exitFailure;
      armHardExit();
      await server.close();
      await monitor.idle();
      monitor.dispose();
    }
    return;
  }
  stopDrawing();
  drawing = false;
  const analysis = monitor.analysis();
  server.log.info(
    {
      wallMs: analysis.wallMs,
      grade: analysis.grade.grade,
      efficiency: analysis.efficiency,
      criticalPath: analysis.criticalPath,
      sinceProcessStartMs: Math.round(performance.now()),
    },
    'started: ready for traffic',
  );
  if (terminal.isTTY)
    await printSummary(ctx, grades, terminal).catch((error) => {
      server.log.warn({ err: describeError(error) }, 'could not print the start-up summary');
    });
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
