import type { ErrorInfo } from '@startup/core';

/**
 * One line describing an error of a report or event: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432`.
 * The code is left out when the message already contains it; line breaks become spaces.
 */
export function errorText(error: ErrorInfo | undefined): string {
  if (!error) return 'unknown error';
  const message = error.message.replace(/\s+/g, ' ').trim() || error.name;
  if (!error.code || message.includes(error.code)) return message;
  return `${error.code}: ${message}`;
}
