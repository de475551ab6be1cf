import { describe, expect, it } from 'vitest';
import { resourcesOf, type Slot } from './slot.js';

const slot = (name: string, resource: unknown) => ({ plugin: { name }, resource }) as unknown as Slot;

describe('resourcesOf', () => {
  it('gives a plain object of the resources by plugin name, in the order of the slots', () => {
    const names = Array.from({ length: 1_000 }, (_, i) => `plugin-${i}`);
    const resources = resourcesOf(names.map((name, i) => slot(name, i)));
    expect(Object.getPrototypeOf(resources)).toBe(Object.prototype);
    expect(Object.keys(resources)).toEqual(names);
    expect(resources['plugin-999']).toBe(999);
    expect(Object.hasOwn(resources, 'plugin-0')).toBe(true);
    expect(JSON.stringify(resourcesOf([slot('db', 1)]))).toBe('{"db":1}');
  });
});
