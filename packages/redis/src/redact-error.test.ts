import { describe, expect, it } from 'vitest';
import { redactError } from './redact-error.js';

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

  it('describes a thrown value that is not an error', () => {
    expect(redactError('pw=hunter2', []).message).toBe('pw=hunter2');
    expect(redactError('password=hunter2', []).message).toBe('password=****');
  });
});
