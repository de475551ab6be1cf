import type { Logger, RuntimeReporter } from '@startup/core';

/**
 * Forwards an upstream's connection loss and recovery to core, once each, and only while the service is in
 * service: errors while starting belong to the attempt, errors while closing are expected.
 */
export class RuntimeLink {
  private inService = false;
  private down = false;

  constructor(
    private readonly reporter: RuntimeReporter,
    private readonly logger: Logger,
  ) {}

  /** The service was handed to the application. */
  serve(): void {
    this.inService = true;
  }

  /** The service is being closed; nothing more is reported. */
  retire(): void {
    this.inService = false;
  }

  /** A request failed on the network (`error` is already redacted and classified). */
  lost(error: Error): void {
    if (!this.inService || this.down) return;
    this.down = true;
    this.logger.warn('connection lost', { error: error.message });
    this.reporter.down(error);
  }

  /** A request or a health check got an answer. */
  restored(): void {
    if (!this.inService || !this.down) return;
    this.down = false;
    this.logger.info('connection restored');
    this.reporter.up();
  }
}
