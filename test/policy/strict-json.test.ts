import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseLocatedJson } from '../../src/json/json-locations.js';
import { configurationError } from '../helpers/configuration-error.js';

describe('strict JSON reading', () => {
  it('refuses a repeated key, naming both places and the pointer', () => {
    const text =
      '{\n  "controls": {\n    "mfa.registration": {\n      "enabled": true,\n      "enabled": false\n    }\n  }\n}\n';
    const error = configurationError(() => parseLocatedJson(text, 'p.json'));
    expect(error.message).toBe(
      'p.json:5:7: /controls/mfa.registration/enabled: duplicate key "enabled" (first at line 4, column 7); JSON keeps only the last, so remove one',
    );
  });

  it('finds a repeated key inside arrays too, and accepts the same key in sibling objects', () => {
    expect(configurationError(() => parseLocatedJson('[[{"x":[1,{"y":1,"y":2}]}]]', 'f.json')).message).toMatch(
      /^f\.json:1:18: \/0\/0\/x\/1\/y: duplicate key "y"/,
    );
    expect(parseLocatedJson('[{"y":1},{"y":2}]', 'f.json').value).toEqual([{ y: 1 }, { y: 2 }]);
  });

  it('refuses nesting past the limit before the parser can overflow its stack', () => {
    const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    expect(configurationError(() => parseLocatedJson(deep, 'd.json')).message).toBe(
      `d.json:1:${6 + MAX_JSON_DEPTH - 1}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
    );
    const limit = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseLocatedJson(limit, 'ok.json').value).toBeInstanceOf(Array);
    // Brackets inside strings are text, not nesting.
    expect(parseLocatedJson(JSON.stringify({ s: '['.repeat(500) }), 's.json').value).toEqual({ s: '['.repeat(500) });
  });
});
