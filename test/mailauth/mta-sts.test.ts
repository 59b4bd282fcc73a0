import { describe, expect, it } from 'vitest';
import { parseMtaStsPolicy, parseMtaStsRecord, parseTlsRptRecord } from '../../src/mailauth/mta-sts.js';

describe('MTA-STS TXT record (RFC 8461 §3.1)', () => {
  it('reads the id, with blanks and a trailing ";" allowed', () => {
    expect(parseMtaStsRecord('v=STSv1; id=20260101T000000')).toEqual({ ok: true, value: { id: '20260101T000000' } });
    expect(parseMtaStsRecord(' v = STSv1 ;; id = abc123 ; ')).toEqual({ ok: true, value: { id: 'abc123' } });
  });

  it('v=STSv1 must come first, exactly', () => {
    const notSts = { ok: false, error: 'the record does not start with v=STSv1' };
    expect(parseMtaStsRecord('id=1; v=STSv1')).toEqual(notSts);
    expect(parseMtaStsRecord('v=STSv2; id=1')).toEqual(notSts);
    expect(parseMtaStsRecord('x=STSv1; id=1')).toEqual(notSts);
  });

  it('a field without "=" is named', () => {
    expect(parseMtaStsRecord('v=STSv1; id')).toEqual({ ok: false, error: 'field "id" has no "="' });
  });

  it('id is 1 to 32 letters and digits', () => {
    const badId = { ok: false, error: 'id= is missing or not 1-32 letters and digits' };
    expect(parseMtaStsRecord('v=STSv1')).toEqual(badId);
    expect(parseMtaStsRecord('v=STSv1; id=')).toEqual(badId);
    expect(parseMtaStsRecord(`v=STSv1; id=${'a'.repeat(33)}`)).toEqual(badId);
    expect(parseMtaStsRecord('v=STSv1; id=2026-01-01')).toEqual(badId);
    expect(parseMtaStsRecord('v=STSv1; id=x2026-01-01')).toEqual(badId);
    expect(parseMtaStsRecord('v=STSv1; id=2026-01-01x')).toEqual(badId);
    expect(parseMtaStsRecord(`v=STSv1; id=${'A9'.repeat(16)}`)).toEqual({ ok: true, value: { id: 'A9'.repeat(16) } });
  });
});

describe('MTA-STS policy file (RFC 8461 §3.2)', () => {
  const policy = (lines: string[]): string => lines.join('\r\n');

  it('reads mode, every mx line and max_age, with CRLF or LF and blank lines', () => {
    expect(
      parseMtaStsPolicy(
        policy(['version: STSv1', 'mode: enforce', '', 'mx: mx1.example.test', 'mx:*.example.test', 'max_age: 86400']),
      ),
    ).toEqual({ ok: true, value: { mode: 'enforce', mx: ['mx1.example.test', '*.example.test'], maxAge: 86400 } });
    expect(parseMtaStsPolicy('version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 0\n')).toEqual({
      ok: true,
      value: { mode: 'testing', mx: ['mx.example.test'], maxAge: 0 },
    });
  });

  it('mode none needs no mx', () => {
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: none', 'max_age: 31557600']))).toEqual({
      ok: true,
      value: { mode: 'none', mx: [], maxAge: 31557600 },
    });
  });

  it('enforce or testing without mx is an error', () => {
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: enforce', 'max_age: 1']))).toEqual({
      ok: false,
      error: 'no mx: line',
    });
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: testing', 'max_age: 1']))).toEqual({
      ok: false,
      error: 'no mx: line',
    });
  });

  it('a line without ":" is named, cut at 60 characters', () => {
    const long = `mode enforce ${'x'.repeat(80)}`;
    expect(parseMtaStsPolicy(policy(['version: STSv1', long]))).toEqual({
      ok: false,
      error: `line "${long.slice(0, 60)}" has no ":"`,
    });
  });

  it('the first version line must be STSv1', () => {
    const notV1 = { ok: false, error: 'version is not STSv1' };
    expect(parseMtaStsPolicy(policy(['mode: none', 'max_age: 1']))).toEqual(notV1);
    expect(parseMtaStsPolicy(policy(['version: STSv2', 'version: STSv1', 'mode: none', 'max_age: 1']))).toEqual(notV1);
  });

  it('mode must be enforce, testing or none, and is named', () => {
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: Enforce', 'mx: a', 'max_age: 1']))).toEqual({
      ok: false,
      error: 'mode "Enforce" is not enforce, testing or none',
    });
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mx: a', 'max_age: 1']))).toEqual({
      ok: false,
      error: 'mode "" is not enforce, testing or none',
    });
  });

  it('max_age is 0 to 31557600 seconds, digits only', () => {
    for (const text of ['31557601', '-1', '1d', 'x1', '12345678901']) {
      expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: none', `max_age: ${text}`]))).toEqual({
        ok: false,
        error: `max_age "${text}" is invalid`,
      });
    }
    expect(parseMtaStsPolicy(policy(['version: STSv1', 'mode: none']))).toEqual({
      ok: false,
      error: 'max_age "" is invalid',
    });
  });
});

describe('SMTP TLS reporting record (RFC 8460 §3)', () => {
  it('reads every mailto: and https: URI, blanks allowed', () => {
    expect(parseTlsRptRecord('v = TLSRPTv1; rua = mailto:tls@example.test , https://r.example.test/tls ;')).toEqual({
      ok: true,
      value: { rua: ['mailto:tls@example.test', 'https://r.example.test/tls'] },
    });
    expect(parseTlsRptRecord('v=TLSRPTv1;;rua=MAILTO:a@example.test,')).toEqual({
      ok: true,
      value: { rua: ['MAILTO:a@example.test'] },
    });
  });

  it('must start with v=TLSRPTv1', () => {
    const notTlsRpt = { ok: false, error: 'the record does not start with v=TLSRPTv1' };
    expect(parseTlsRptRecord('rua=mailto:a@example.test; v=TLSRPTv1')).toEqual(notTlsRpt);
    expect(parseTlsRptRecord('')).toEqual(notTlsRpt);
    expect(parseTlsRptRecord('v=TLSRPTv2; rua=mailto:a@example.test')).toEqual(notTlsRpt);
  });

  it('needs a rua= field', () => {
    expect(parseTlsRptRecord('v=TLSRPTv1; ruf=mailto:a@example.test; xrua=mailto:a@example.test')).toEqual({
      ok: false,
      error: 'no rua= field',
    });
  });

  it('every URI must be mailto: with an address or https:', () => {
    const badUris = { ok: false, error: 'rua= must list mailto: or https: URIs' };
    for (const rua of [
      '',
      ' , ',
      'mailto:a@example.test,http://r.example.test',
      'http://r.example.test,mailto:a@example.test',
      'mailto:example.test',
      'xmailto:a@example.test',
      'mailto:a@example.test x',
      'https://',
      'https://r.example.test/a b',
    ]) {
      expect(parseTlsRptRecord(`v=TLSRPTv1; rua=${rua}`), rua).toEqual(badUris);
    }
  });
});
