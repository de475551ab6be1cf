/**
 * A request the client got wrong, answered with `statusCode` and this message. The message is written by
 * this service: it names the field or header at fault and never quotes what the client sent.
 */
export class ClientError extends Error {
  /** The HTTP status the error handler answers with: a 4xx. */
  readonly statusCode: number;
  /** Stable code of the answer. */
  readonly code: string;
  constructor(statusCode: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClientError';
    this.statusCode = statusCode;
    this.code = code;
  }
}
