import type { ErrorInfo } from '@startup/core';
import { printable } from './printable.js';

/**
 * One line describing an error of a report or event: `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432`.
 * The code is left out when the message already contains it; line breaks become spaces and other control
 * characters their pictures ({@link printable}): the text comes from servers.
 */
export function errorText(error: ErrorInfo | undefined): string {
  if (!error) return 'unknown error';
  const message = printable(error.message.replace(/\s+/g, ' ').trim()) || printable(error.name);
  const code = error.code === undefined ? undefined : printable(error.code);
  if (!code || message.includes(code)) return message;
  return `${code}: ${message}`;
}
