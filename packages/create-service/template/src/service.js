// The service: its plugins, the start-up monitor and the HTTP server, wired. The server listens before the
// start, so the probes answer while the services start (Kubernetes' startupProbe waits on /health/startup).
import { createStartup } from '@startup/core';
import { createMonitor } from '@startup/monitor';
import { createServer } from './server.js';
import { createServices } from './services.js';

/**
 * Builds the service from a checked configuration. `signals` begin the graceful shutdown (readiness fails,
 * SHUTDOWN_DELAY_MS, in-flight requests finish, the plugins close in reverse order); `[]` leaves it to `stop()`.
 * `onShutdown` hears the end of a signal's shutdown, with its error if any.
 */
export async function createService(config, { signals = ['SIGTERM', 'SIGINT'], onShutdown } = {}) {
  const app = createStartup(createServices(config), { deadlineMs: config.startupTimeoutMs });
  const monitor = createMonitor(app, { service: config.serviceName });
  const server = await createServer(app, config, {
    monitor,
    apiKey: config.apiKey,
    service: config.serviceName,
    delayMs: config.shutdownDelayMs,
    timeoutMs: config.shutdownTimeoutMs,
    signals,
    onShutdown: (error) => {
      monitor.dispose();
      onShutdown?.(error);
    },
  });
  return {
    app,
    log: server.log,
    /** Listens on PORT and HOST; resolves with the port. */
    listen: server.listen,
    /** Starts the plugins; rejects naming each plugin that failed. */
    start: () => app.start(),
    /** The graceful shutdown, as a signal runs it. */
    async stop() {
      await server.stop();
      monitor.dispose();
    },
  };
}
