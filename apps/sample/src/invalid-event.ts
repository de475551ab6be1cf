import { ClientError } from './client-error.js';

/** A posted event that cannot be stored as sent: the client's mistake, answered 400 with this message. */
export class InvalidEventError extends ClientError {
  constructor(message: string, options?: ErrorOptions) {
    super(400, 'INVALID_EVENT', message, options);
    this.name = 'InvalidEventError';
  }
}

/** Whether `error` is a PostgreSQL data exception (SQLSTATE class 22): the value is at fault, not the server. */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
