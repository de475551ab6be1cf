/**
 * Every code a {@link CreateServiceError} carries, with what it means. Each is bad input: the command prints the
 * message and exits with status 2.
 */
export const createServiceErrorCodes = Object.freeze({
  CREATE_ERR_INVALID_FLAG:
    'A flag the command does not know, a flag without its value, or one too many arguments.',
  CREATE_ERR_INVALID_NAME:
    'The service name is not a lowercase DNS label (it names the package and the Kubernetes objects).',
  CREATE_ERR_INVALID_CONNECTOR: 'A connector this repository does not ship, or one named twice.',
  CREATE_ERR_INVALID_FRAMEWORK: 'A framework other than fastify or node-http.',
  CREATE_ERR_INVALID_PACKAGE_MANAGER: 'A package manager other than npm, pnpm or yarn.',
  CREATE_ERR_MISSING_DIRECTORY: 'No directory given, and no terminal to ask for one.',
  CREATE_ERR_DIRECTORY_NOT_EMPTY:
    'The directory exists and is not empty (or is not a directory): nothing is overwritten.',
  CREATE_ERR_NO_RELEASE:
    'The versions of the release are unknown: the generator runs unbuilt and was given none.',
});

/** A code of {@link createServiceErrorCodes}. */
export type CreateServiceErrorCode = keyof typeof createServiceErrorCodes;

/** Bad input to the generator: `code` is stable, the message names the flag or answer and what it accepts. */
export class CreateServiceError extends Error {
  /** What went wrong, one of {@link createServiceErrorCodes}. */
  readonly code: CreateServiceErrorCode;

  constructor(code: CreateServiceErrorCode, message: string) {
    super(message);
    this.name = 'CreateServiceError';
    this.code = code;
  }
}
