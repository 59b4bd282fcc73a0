import { describe, expect, it } from 'vitest';
import {
  type DmarcParse,
  type DmarcRecord,
  parseDmarcRecord,
  selectDmarcRecord,
} from '../../src/mailauth/dmarc-record.js';

/** The parsed record, failing the test with the parser's own error when there is none. */
function record(text: string): DmarcRecord {
  const parsed = parseDmarcRecord(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error} (${parsed.detail})`);
  return parsed.record;
}

function failure(parsed: DmarcParse): { error: string; detail: string } {
  if (parsed.ok) throw new Error(`expected a failure, got ${JSON.stringify(parsed.record)}`);
  return { error: parsed.error, detail: parsed.detail };
}

describe('DMARC report URIs (RFC 7489 §6.2)', () => {
  it('a record without rua or ruf has no URIs and nothing invalid', () => {
    const r = record('v=DMARC1; p=none');
    expect(r.rua).toEqual([]);
    expect(r.ruf).toEqual([]);
    expect(r.invalidRua).toEqual([]);
  });

  it('trims each URI and skips empty list items', () => {
    const r = record(
      'v=DMARC1; p=none; rua=mailto:a@example.test, mailto:b@example.test,,; ruf= mailto:f@example.test ',
    );
    expect(r.rua).toEqual([{ uri: 'mailto:a@example.test' }, { uri: 'mailto:b@example.test' }]);
    expect(r.invalidRua).toEqual([]);
    expect(r.ruf).toEqual([{ uri: 'mailto:f@example.test' }]);
  });

  it('reads a size limit with or without a unit, in lower case', () => {
    const r = record('v=DMARC1; p=none; rua=mailto:a@example.test!10M,mailto:b@example.test!25');
    expect(r.rua).toEqual([
      { uri: 'mailto:a@example.test', size_limit: '10m' },
      { uri: 'mailto:b@example.test', size_limit: '25' },
    ]);
    expect(r.invalidRua).toEqual([]);
  });

  it('keeps a URI with a malformed size apart, as written', () => {
    const r = record(
      'v=DMARC1; p=none; rua=mailto:a@example.test!x10m,mailto:b@example.test!10mx,mailto:ok@example.test',
    );
    expect(r.rua).toEqual([{ uri: 'mailto:ok@example.test' }]);
    expect(r.invalidRua).toEqual(['mailto:a@example.test!x10m', 'mailto:b@example.test!10mx']);
  });

  it('keeps text that is not an absolute URI apart, as written', () => {
    const r = record('v=DMARC1; p=none; rua=1x:mailto:a@example.test,mailto:a b,a@example.test');
    expect(r.rua).toEqual([]);
    expect(r.invalidRua).toEqual(['1x:mailto:a@example.test', 'mailto:a b', 'a@example.test']);
  });

  it('an invalid ruf is dropped', () => {
    expect(record('v=DMARC1; p=none; ruf=f@example.test').ruf).toEqual([]);
  });
});

describe('DMARC record syntax', () => {
  it('an empty or blank record is empty', () => {
    expect(failure(parseDmarcRecord('   '))).toEqual({ error: 'empty', detail: 'the record is empty' });
    expect(failure(parseDmarcRecord(''))).toEqual({ error: 'empty', detail: 'the record is empty' });
  });

  it('v=DMARC1 must be the first tag', () => {
    const notDmarc = { error: 'not-dmarc', detail: 'the record does not start with v=DMARC1' };
    expect(failure(parseDmarcRecord('; v=DMARC1; p=none'))).toEqual(notDmarc);
    expect(failure(parseDmarcRecord('p=none; v=DMARC1'))).toEqual(notDmarc);
    expect(failure(parseDmarcRecord('x=DMARC1; p=none'))).toEqual(notDmarc);
    expect(failure(parseDmarcRecord('v=dmarc1; p=none'))).toEqual(notDmarc);
    expect(failure(parseDmarcRecord('DMARC1; p=none'))).toEqual(notDmarc);
    expect(failure(parseDmarcRecord('v=DMARC2'))).toEqual(notDmarc);
  });

  it('accepts blank tags between and after tags, and a tag name in any case', () => {
    const r = record('v=DMARC1; ; P=reject;;');
    expect(r.p).toBe('reject');
    expect(r.tags).toEqual({ p: 'reject' });
  });

  it('a tag without "=" is a syntax error', () => {
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; fo'))).toEqual({
      error: 'syntax',
      detail: 'tag "fo" has no "="',
    });
  });

  it('a tag name must start with a letter and hold only letters, digits and "_"', () => {
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; =x'))).toEqual({
      error: 'syntax',
      detail: 'invalid tag name ""',
    });
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; 1p=x'))).toEqual({
      error: 'syntax',
      detail: 'invalid tag name "1p"',
    });
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; p-x=y'))).toEqual({
      error: 'syntax',
      detail: 'invalid tag name "p-x"',
    });
    expect(record('v=DMARC1; p=none; x_1=y').tags).toEqual({ p: 'none', x_1: 'y' });
  });

  it('a tag given twice is a syntax error', () => {
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; P=reject'))).toEqual({
      error: 'syntax',
      detail: 'tag "p" appears twice',
    });
  });
});

describe('DMARC policy tags', () => {
  it('defaults: sp and np follow p, relaxed alignment, fo=0, pct=100, afrf, one day, no psd, not testing', () => {
    const r = record('v=DMARC1; p=quarantine');
    expect(r).toEqual({
      p: 'quarantine',
      pImplied: false,
      sp: 'quarantine',
      spExplicit: false,
      np: 'quarantine',
      npExplicit: false,
      adkim: 'r',
      aspf: 'r',
      fo: ['0'],
      pct: 100,
      pctExplicit: false,
      rf: ['afrf'],
      ri: 86400,
      rua: [],
      ruf: [],
      invalidRua: [],
      psd: 'u',
      t: false,
      legacyTags: [],
      tags: { p: 'quarantine' },
    });
  });

  it('explicit sp, np and legacy tags are recorded as explicit', () => {
    const r = record('v=DMARC1; p=reject; sp=none; np=quarantine; pct=50; rf=iodef:afrf; ri=3600; psd=n; t=y');
    expect(r.sp).toBe('none');
    expect(r.spExplicit).toBe(true);
    expect(r.np).toBe('quarantine');
    expect(r.npExplicit).toBe(true);
    expect(r.pct).toBe(50);
    expect(r.pctExplicit).toBe(true);
    expect(r.rf).toEqual(['iodef', 'afrf']);
    expect(r.ri).toBe(3600);
    expect(r.psd).toBe('n');
    expect(r.t).toBe(true);
    expect(r.legacyTags).toEqual(['pct', 'rf', 'ri']);
  });

  it('lists only the legacy tags present', () => {
    expect(record('v=DMARC1; p=none; rf=afrf').legacyTags).toEqual(['rf']);
    expect(record('v=DMARC1; p=none; ri=1; pct=0').legacyTags).toEqual(['pct', 'ri']);
    expect(record('v=DMARC1; p=none; pct=100').pctExplicit).toBe(true);
  });

  it('np defaults to an explicit sp', () => {
    const r = record('v=DMARC1; p=reject; sp=quarantine');
    expect(r.np).toBe('quarantine');
    expect(r.npExplicit).toBe(false);
  });

  it('psd=y is read', () => {
    expect(record('v=DMARC1; p=none; psd=Y').psd).toBe('y');
  });

  it('fo and rf lists are read with blanks around each item', () => {
    const r = record('v=DMARC1; p=none; fo=1 : D; rf=afrf : IODEF');
    expect(r.fo).toEqual(['1', 'd']);
    expect(r.rf).toEqual(['afrf', 'iodef']);
  });

  it('no p and no valid rua is no policy', () => {
    expect(failure(parseDmarcRecord('v=DMARC1; sp=none'))).toEqual({
      error: 'no-policy',
      detail: 'no p= tag and no valid rua=',
    });
  });

  it('an invalid p or sp without a valid rua is a bad value naming the tag', () => {
    expect(failure(parseDmarcRecord('v=DMARC1; p=block'))).toEqual({ error: 'bad-value', detail: 'invalid p=block' });
    expect(failure(parseDmarcRecord('v=DMARC1; p=none; sp=block'))).toEqual({
      error: 'bad-value',
      detail: 'invalid sp=block',
    });
  });

  it('an invalid p or sp with a valid rua acts as p=none (RFC 7489 §6.6.3)', () => {
    const r = record('v=DMARC1; p=reject; sp=block; rua=mailto:a@example.test');
    expect(r.p).toBe('none');
    expect(r.pImplied).toBe(true);
    expect(r.sp).toBe('none');
    expect(r.spExplicit).toBe(false);
  });

  it.each([
    ['np=block', 'invalid np=block'],
    ['adkim=x', 'invalid adkim=x'],
    ['aspf=relaxed', 'invalid aspf=relaxed'],
    ['fo=0:2', 'invalid fo=0:2'],
    ['fo=2:0', 'invalid fo=2:0'],
    ['pct=101', 'invalid pct=101'],
    ['pct=50x', 'invalid pct=50x'],
    ['pct=1000', 'invalid pct=1000'],
    ['rf=afrf:arf', 'invalid rf=afrf:arf'],
    ['rf=arf:afrf', 'invalid rf=arf:afrf'],
    ['ri=4294967296', 'invalid ri=4294967296'],
    ['ri=12h', 'invalid ri=12h'],
    ['ri=-1', 'invalid ri=-1'],
    ['psd=yes', 'invalid psd=yes'],
    ['psd=', 'invalid psd='],
    ['t=true', 'invalid t=true'],
  ])('%s is a bad value', (tag, detail) => {
    expect(failure(parseDmarcRecord(`v=DMARC1; p=none; ${tag}`))).toEqual({ error: 'bad-value', detail });
  });

  it('the largest ri and pct are valid', () => {
    const r = record('v=DMARC1; p=none; ri=4294967295; pct=100');
    expect(r.ri).toBe(4294967295);
    expect(r.pct).toBe(100);
  });
});

describe('selecting the DMARC record at a name (RFC 9989 §4.10)', () => {
  it('no candidate is no record', () => {
    expect(failure(selectDmarcRecord(['v=spf1 -all']))).toEqual({
      error: 'no-record',
      detail: 'no TXT record starts with v=DMARC1',
    });
  });

  it('two candidates are multiple records', () => {
    expect(failure(selectDmarcRecord(['v=DMARC1; p=none', 'v=DMARC1; p=reject']))).toEqual({
      error: 'multiple-records',
      detail: '2 DMARC records',
    });
  });

  it('the single candidate is parsed', () => {
    expect(record('v=DMARC1; p=reject').p).toBe('reject');
    const selected = selectDmarcRecord(['google-site-verification=x', 'v=DMARC1; p=reject']);
    expect(selected.ok && selected.record.p).toBe('reject');
  });
});
