import { describe, expect, it } from 'vitest';
import { bodyProblem, bodyProblemMessage, maxFieldDepth } from '../src/json-body.js';

const fields = ['type', 'payload'];
const problemOf = (text: string, depth = maxFieldDepth + 1) => bodyProblem(text, depth, fields);

describe('bodyProblem', () => {
  it('finds nothing in what jsonb stores as written', () => {
    for (const text of [
      '{"type":"ok","payload":{"s":"\\ud83d\\ude00 \\u0001\\t é \\\\u0000","n":[null,1,true,{"k":""}]}}',
      '{"payload":{"a":0.1,"b":-123.45,"c":1.0,"d":1E2,"e":1e20,"f":1.5e300,"g":5e-324,"h":0.000,"i":-0}}',
      `{"payload":{"max":${Number.MAX_SAFE_INTEGER},"min":${Number.MIN_SAFE_INTEGER}}}`,
    ]) {
      expect(problemOf(text), text).toBe(undefined);
    }
  });

  it.each([
    ['a NUL character', '{"payload":{"s":"a\\u0000b"}}', 'body/payload', 19],
    ['a NUL in a key', '{"payload":{"a\\u0000":1}}', 'body/payload', 15],
    ['a lone high surrogate', '{"type":"\\ud800"}', 'body/type', 10],
    ['a high surrogate followed by another', '{"payload":{"s":"\\ud83d\\ud83d\\ude00"}}', 'body/payload', 18],
    ['a lone low surrogate', '{"payload":{"l":[{"s":"x\\udc00"}]}}', 'body/payload', 25],
  ])('finds %s, naming the field and the position', (_case, text, field, at) => {
    expect(problemOf(text)).toEqual({ field, at, problem: 'text' });
  });

  it.each([
    ['1e400', 'too-large'],
    ['-1e400', 'too-large'],
    ['1e-400', 'underflow'],
    ['-0.0000001e-330', 'underflow'],
    ['9007199254740992', 'unsafe-integer'],
    ['-12345678901234567891', 'unsafe-integer'],
    ['0.10000000000000000555', 'precision'],
    ['9007199254740993.0', 'precision'],
    ['3.14159265358979323846', 'precision'],
  ] as const)('finds the number %s a double does not hold as written (%s)', (number, problem) => {
    expect(problemOf(`{"payload":{"n":[0,${number}]}}`)).toEqual({ field: 'body/payload', at: 20, problem });
  });

  it('refuses objects and arrays nested deeper than the limit, and accepts the limit itself', () => {
    const nested = (levels: number) => `{"payload":${'['.repeat(levels - 1)}{}${']'.repeat(levels - 1)}}`;
    expect(problemOf(nested(maxFieldDepth))).toBe(undefined);
    expect(problemOf(nested(maxFieldDepth + 1))).toEqual({
      field: 'body/payload',
      at: 12 + maxFieldDepth,
      problem: 'depth',
    });
    expect(bodyProblemMessage(problemOf(nested(maxFieldDepth + 1))!, maxFieldDepth + 1)).toBe(
      `body/payload, at character ${12 + maxFieldDepth}: objects and arrays nest deeper than ${maxFieldDepth} levels`,
    );
  });

  it('walks a body far deeper than the call stack would allow, in one pass', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(bodyProblem(text, depth)).toBe(undefined);
    expect(bodyProblem(text, depth - 1)).toEqual({ field: 'body', at: depth, problem: 'depth' });
  });

  it('names only the fields it was told of, never an unknown key', () => {
    const secretKey = 'not-a-field-name';
    const problem = problemOf(`{"${secretKey}":{"n":1e400}}`)!;
    expect(problem.field).toBe('body');
    expect(bodyProblemMessage(problem, maxFieldDepth + 1)).not.toContain(secretKey);
  });
});
