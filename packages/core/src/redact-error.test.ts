import { describe, expect, it } from 'vitest';
import { redactError } from './redact-error.js';

/** Shaped like ioredis' reply error: a server's refusal, with the command (and its arguments) that drew it. */
class ReplyError extends Error {
  override name = 'ReplyError';
}

/** Everything about `value` a log or a JSON response could show: own fields at any depth, stack, causes. */
function everything(value: unknown): string {
  const seen = new Set<unknown>();
  return JSON.stringify(value, function (this: unknown, _key, field: unknown) {
    if (typeof field !== 'object' || field === null) return field;
    if (seen.has(field)) return '[cycle]';
    seen.add(field);
    if (!(field instanceof Error)) return field;
    const own: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(field))
      own[key] = (field as unknown as Record<string, unknown>)[key];
    return { ...own, cause: field.cause };
  });
}

describe('redactError', () => {
  it('keeps an error that holds no secret as the cause', () => {
    const error = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    expect(redactError(error, ['hunter2'])).toEqual({ message: error.message, cause: error });
  });

  it('replaces an error that holds a secret by a redacted copy with the same name and code', () => {
    const error = Object.assign(new TypeError('bad redis://:hunter2@cache and hunter2'), { code: 'EX' });
    const { message, cause } = redactError(error, ['hunter2']);
    expect(message).toBe('bad redis://:****@cache and ****');
    expect(cause).not.toBe(error);
    expect(cause).toMatchObject({ name: 'TypeError', message, code: 'EX' });
  });

  it("leaves no password of a refused AUTH in the cause, where ioredis keeps it in the command's arguments", () => {
    const error = Object.assign(
      new ReplyError('WRONGPASS invalid username-password pair or user is disabled.'),
      {
        command: { name: 'auth', args: ['wrong-s3cret'] },
      },
    );
    const { message, cause } = redactError(error, ['wrong-s3cret']);
    expect(message).toBe(error.message);
    expect(everything(cause)).not.toContain('wrong-s3cret');
    expect(cause).toMatchObject({ name: 'ReplyError', message, command: { name: 'auth' } });
  });

  const hidden = (where: string, error: Error): [string, Error] => [where, error];
  it.each([
    hidden(
      'a field of a cause',
      new Error('failed', { cause: Object.assign(new Error('x'), { pw: 'hunter2' }) }),
    ),
    hidden('bytes', Object.assign(new Error('reset'), { sent: Buffer.from('AUTH hunter2') })),
    hidden('a non-enumerable field', Object.defineProperty(new Error('x'), 'args', { value: ['hunter2'] })),
    hidden('an AggregateError entry', new AggregateError([new Error('pw hunter2')], 'failed')),
  ])('finds a secret hidden in %s and attaches a copy holding none', (_where, error) => {
    const { cause } = redactError(error, ['hunter2']);
    expect(cause).not.toBe(error);
    expect(cause).toMatchObject({ name: error.name, message: error.message });
    expect(everything(cause)).not.toContain('hunter2');
  });

  it('keeps what the causes of a redacted copy say, and their codes', () => {
    const inner = Object.assign(new Error('reset by hunter2'), { code: 'ECONNRESET', errno: -104 });
    const { cause } = redactError(new Error('failed', { cause: inner }), ['hunter2']);
    expect(cause).toMatchObject({
      message: 'failed',
      cause: { message: 'reset by ****', code: 'ECONNRESET', errno: -104 },
    });
  });

  it('describes a thrown value that is not an error', () => {
    expect(redactError('pw=hunter2', []).message).toBe('pw=hunter2');
    expect(redactError('password=hunter2', []).message).toBe('password=****');
  });
});
