import { describe, expect, it } from 'vitest';
import {
  domainSpecError,
  isSpfRecord,
  macroStringError,
  parseSpfRecord,
  type SpfParse,
  type SpfRecord,
} from '../../src/mailauth/spf-record.js';

function parsed(text: string): SpfRecord {
  const p = parseSpfRecord(text);
  if (!p.ok) throw new Error(`${text}: ${p.error}`);
  return p.record;
}

function failure(p: SpfParse): { error: string; term?: string } {
  if (p.ok) throw new Error(`expected a syntax error, got ${JSON.stringify(p.record)}`);
  return p.term === undefined ? { error: p.error } : { error: p.error, term: p.term };
}

describe('SPF record version (RFC 7208 §4.5)', () => {
  it('v=spf1 then a space or the end, in any case', () => {
    expect(isSpfRecord('v=spf1')).toBe(true);
    expect(isSpfRecord('V=SPF1 -all')).toBe(true);
    expect(isSpfRecord('v=spf10')).toBe(false);
    expect(isSpfRecord('v=spf1-all')).toBe(false);
    expect(isSpfRecord(' v=spf1')).toBe(false);
  });

  it('a record without the version is named', () => {
    expect(failure(parseSpfRecord('v=spf1x'))).toEqual({ error: 'the record does not start with "v=spf1"' });
  });
});

describe('SPF terms (RFC 7208 §4.6.1, §5, §6)', () => {
  it('reads every mechanism, qualifier and CIDR length, keeping each term as written', () => {
    const r = parsed(
      'v=spf1  +a -a:Example.Test/24 ~a/24//64 ?mx//48 MX:mail.example.test ptr ptr:example.test ip4:192.0.2.0/24 ip4:192.0.2.1 ip6:2001:db8::/32 ip6:2001:db8::1 exists:%{i}.x.example.test include:_spf.example.test all',
    );
    expect(r.directives.map((d) => [d.qualifier, d.mechanism, d.text])).toEqual([
      ['+', { kind: 'a', domain: undefined, cidr4: 32, cidr6: 128 }, '+a'],
      ['-', { kind: 'a', domain: 'Example.Test', cidr4: 24, cidr6: 128 }, '-a:Example.Test/24'],
      ['~', { kind: 'a', domain: undefined, cidr4: 24, cidr6: 64 }, '~a/24//64'],
      ['?', { kind: 'mx', domain: undefined, cidr4: 32, cidr6: 48 }, '?mx//48'],
      ['+', { kind: 'mx', domain: 'mail.example.test', cidr4: 32, cidr6: 128 }, 'MX:mail.example.test'],
      ['+', { kind: 'ptr', domain: undefined }, 'ptr'],
      ['+', { kind: 'ptr', domain: 'example.test' }, 'ptr:example.test'],
      ['+', { kind: 'ip4', address: '192.0.2.0', cidr: 24 }, 'ip4:192.0.2.0/24'],
      ['+', { kind: 'ip4', address: '192.0.2.1', cidr: 32 }, 'ip4:192.0.2.1'],
      ['+', { kind: 'ip6', address: '2001:db8::', cidr: 32 }, 'ip6:2001:db8::/32'],
      ['+', { kind: 'ip6', address: '2001:db8::1', cidr: 128 }, 'ip6:2001:db8::1'],
      ['+', { kind: 'exists', domain: '%{i}.x.example.test' }, 'exists:%{i}.x.example.test'],
      ['+', { kind: 'include', domain: '_spf.example.test' }, 'include:_spf.example.test'],
      ['+', { kind: 'all' }, 'all'],
    ]);
    expect(r.terms).toHaveLength(14);
    expect(r.redirect).toBeUndefined();
    expect(r.exp).toBeUndefined();
  });

  it('a/mx CIDR lengths at their limits, after a domain-spec with "/" in it', () => {
    expect(parsed('v=spf1 a:x/y.example.test/0//0').directives[0]?.mechanism).toEqual({
      kind: 'a',
      domain: 'x/y.example.test',
      cidr4: 0,
      cidr6: 0,
    });
    expect(parsed('v=spf1 mx:example.test/32//128').directives[0]?.mechanism).toEqual({
      kind: 'mx',
      domain: 'example.test',
      cidr4: 32,
      cidr6: 128,
    });
  });

  it('reads redirect and exp, in any case, and keeps unknown modifiers as terms', () => {
    const r = parsed('v=spf1 Redirect=_spf.example.test EXP=exp.%{d} foo.bar-1=%{d}x -all');
    expect(r.redirect).toBe('_spf.example.test');
    expect(r.exp).toBe('exp.%{d}');
    expect(r.terms.filter((t) => t.type === 'modifier')).toEqual([
      { type: 'modifier', name: 'redirect', value: '_spf.example.test', text: 'Redirect=_spf.example.test' },
      { type: 'modifier', name: 'exp', value: 'exp.%{d}', text: 'EXP=exp.%{d}' },
      { type: 'modifier', name: 'foo.bar-1', value: '%{d}x', text: 'foo.bar-1=%{d}x' },
    ]);
    expect(r.directives.map((d) => d.text)).toEqual(['-all']);
  });

  it.each([
    ['a:example.test/', 'invalid ip4-cidr-length "/"'],
    ['a:example.test//', 'invalid ip6-cidr-length "//"'],
    ['a:example.test/33', 'invalid ip4-cidr-length "/33"'],
    ['a:example.test//129', 'invalid ip6-cidr-length "//129"'],
    ['a/024', 'invalid ip4-cidr-length "/024"'],
    ['mx//0129', 'invalid ip6-cidr-length "//0129"'],
    ['all:x', '"all" takes no argument: "all:x"'],
    ['include', '"include" needs a domain: "include"'],
    ['include:', '"include" needs a domain: "include:"'],
    ['exists', '"exists" needs a domain: "exists"'],
    ['exists:nodot', 'domain-spec "nodot" has no top-level label'],
    ['include:example.123', 'domain-spec "example.123" has an invalid top-level label "123"'],
    ['include:example.-x', 'domain-spec "example.-x" has an invalid top-level label "-x"'],
    ['a:x.a-', 'domain-spec "x.a-" has an invalid top-level label "a-"'],
    ['ptr:example', 'domain-spec "example" has no top-level label'],
    ['ip4', '"ip4" needs an address: "ip4"'],
    ['ip4:1.2.3', 'invalid ip4-network "1.2.3"'],
    ['ip4:1.2.3.4/33', 'invalid ip4-cidr-length in "ip4:1.2.3.4/33"'],
    ['ip4:1.2.3.4/', 'invalid ip4-cidr-length in "ip4:1.2.3.4/"'],
    ['ip6', '"ip6" needs an address: "ip6"'],
    ['ip6:1.2.3.4', 'invalid ip6-network "1.2.3.4"'],
    ['ip6:gg::1', 'invalid ip6-network "gg::1"'],
    ['ip6:2001:db8::/129', 'invalid ip6-cidr-length in "ip6:2001:db8::/129"'],
    ['ip6:2001:db8::/', 'invalid ip6-cidr-length in "ip6:2001:db8::/"'],
    ['foo', 'unknown mechanism "foo"'],
    ['ip4/24', 'invalid term "ip4/24"'],
    ['ip6/64', 'invalid term "ip6/64"'],
    ['a:', 'empty domain-spec'],
    ['mx:/24', 'empty domain-spec'],
    ['1a', 'invalid term "1a"'],
    ['-', 'invalid term "-"'],
    ['redirect=', 'redirect: empty domain-spec'],
    ['exp=nodot', 'exp: domain-spec "nodot" has no top-level label'],
    ['foo=%{x}', 'modifier foo: invalid macro "%{x}"'],
    ['foo=%', 'modifier foo: "%" must be followed by "{", "%", "_" or "-" in "%"'],
    ['exists:%{d', 'unterminated macro in "%{d"'],
    ['exists:%{d0}.example.test', 'macro "%{d0}" keeps zero labels'],
    ['exists:%{c}.example.test', 'macro "%{c}" is allowed only in exp text'],
    ['exists:%{r}.example.test', 'macro "%{r}" is allowed only in exp text'],
    ['exists:%{t}.example.test', 'macro "%{t}" is allowed only in exp text'],
    ['exists:%x.example.test', '"%" must be followed by "{", "%", "_" or "-" in "%x.example.test"'],
    ['a:ex\u00e9.test', 'invalid character 0xe9 in "ex\u00e9.test"'],
  ])('%s: %s', (term, error) => {
    expect(failure(parseSpfRecord(`v=spf1 ${term} -all`))).toEqual({ error, term });
  });

  it('redirect and exp may each appear once (RFC 7208 §6)', () => {
    expect(failure(parseSpfRecord('v=spf1 redirect=a.example.test redirect=b.example.test'))).toEqual({
      error: '"redirect" appears more than once',
      term: 'redirect=b.example.test',
    });
    expect(failure(parseSpfRecord('v=spf1 exp=a.example.test exp=b.example.test'))).toEqual({
      error: '"exp" appears more than once',
      term: 'exp=b.example.test',
    });
    expect(parsed('v=spf1 exp=a.example.test redirect=b.example.test')).toMatchObject({
      redirect: 'b.example.test',
      exp: 'a.example.test',
    });
  });
});

describe('macro strings and domain-specs (RFC 7208 §7.1)', () => {
  it('accepts every macro letter, transformers and the escapes', () => {
    for (const text of [
      '%{s}',
      '%{l}',
      '%{o}',
      '%{d}',
      '%{i}',
      '%{p}',
      '%{h}',
      '%{v}',
      '%{D}',
      '%{ir}',
      '%{d2r-.}',
      '%%%_%-',
      '!',
      '~',
    ]) {
      expect(macroStringError(text, false), text).toBeUndefined();
    }
    expect(macroStringError('%{c} %{r} %{t}', true)).toBeUndefined();
  });

  it('spaces only in explanation text; control characters and DEL never', () => {
    expect(macroStringError('a b', false)).toBe('invalid character 0x20 in "a b"');
    expect(macroStringError('a\tb', true)).toBe('invalid character 0x9 in "a\tb"');
    expect(macroStringError('a\u007f', false)).toBe('invalid character 0x7f in "a\u007f"');
  });

  it('a domain-spec ends with a top-level label or a macro', () => {
    expect(domainSpecError('')).toBe('empty domain-spec');
    expect(domainSpecError('x.')).toBe('domain-spec "x." has no top-level label');
    expect(domainSpecError('a.b-')).toBe('domain-spec "a.b-" has an invalid top-level label "b-"');
    // The macro-string may be empty: ".test" is a domain-end alone (RFC 7208 §7.1 ABNF).
    for (const spec of ['.test', 'a.b.', 'a.1b', 'a.b1', 'a.1-b', 'a.%{d}', 'a%%', 'a%_', 'a%-', '%{d}.x']) {
      expect(domainSpecError(spec), spec).toBeUndefined();
    }
  });
});
