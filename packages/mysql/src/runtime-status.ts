import type { Logger, RuntimeReporter } from '@startup/core';

/**
 * Forwards a pool's connection loss and recovery to core, once each, and only while the pool is in
 * service: errors while starting belong to the attempt, errors while closing are expected.
 */
export class RuntimeLink {
  private inService = false;
  private down = false;

  constructor(
    private readonly reporter: RuntimeReporter,
    private readonly logger: Logger,
  ) {}

  /** The pool was handed to the application. */
  serve(): void {
    this.inService = true;
  }

  /** The pool is being closed; nothing more is reported. */
  retire(): void {
    this.inService = false;
  }

  /** A connection failed outside a query (`error` is already redacted and classified). */
  lost(error: Error): void {
    if (!this.inService || this.down) return;
    this.down = true;
    this.logger.warn('connection lost', { error: error.message });
    this.reporter.down(error);
  }

  /** A round trip or a new connection succeeded. */
  restored(): void {
    if (!this.inService || !this.down) return;
    this.down = false;
    this.logger.info('connection restored');
    this.reporter.up();
  }
}
