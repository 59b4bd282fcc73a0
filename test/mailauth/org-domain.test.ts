import { describe, expect, it } from 'vitest';
import { microsoftDkimQuestions, selectorQuestionKeys } from '../../src/mailauth/microsoft-dkim.js';
import { pslAligned, pslOrganizationalDomain } from '../../src/mailauth/org-domain.js';

describe('organizational domain by the Public Suffix List (RFC 7489 §3.2)', () => {
  it('the registrable domain, ICANN and private sections both', () => {
    expect(pslOrganizationalDomain('Mail.Example.CO.UK')).toBe('example.co.uk');
    expect(pslOrganizationalDomain('a.b.contoso.github.io')).toBe('contoso.github.io');
    expect(pslOrganizationalDomain('example.com.')).toBe('example.com');
  });

  it('no organizational domain for an empty name, a leading dot, an empty label or a public suffix', () => {
    expect(pslOrganizationalDomain('')).toBeUndefined();
    expect(pslOrganizationalDomain('.example.com')).toBeUndefined();
    expect(pslOrganizationalDomain('a..example.com')).toBeUndefined();
    expect(pslOrganizationalDomain('co.uk')).toBeUndefined();
  });
});

describe('identifier alignment (RFC 7489 §3.1)', () => {
  it('strict: the same name, ignoring case, blanks and stray dots; never two empty names', () => {
    expect(pslAligned(' Mail.Example.com. ', '.mail.example.COM', 's')).toBe(true);
    expect(pslAligned('mail.example.com', 'example.com', 's')).toBe(false);
    expect(pslAligned('', '', 's')).toBe(false);
    expect(pslAligned('..', '.', 's')).toBe(false);
  });

  it('relaxed: the same organizational domain, ignoring case, blanks and stray dots', () => {
    expect(pslAligned(' Mail.Example.com.. ', '..news.EXAMPLE.com', 'r')).toBe(true);
    expect(pslAligned('a.example.co.uk', 'b.other.co.uk', 'r')).toBe(false);
    expect(pslAligned('co.uk', 'co.uk', 'r')).toBe(false);
  });
});

describe('Exchange Online DKIM selector questions', () => {
  it('asks the CNAME of selector1 and selector2', () => {
    expect(microsoftDkimQuestions('example.com')).toEqual([
      { name: 'selector1._domainkey.example.com', type: 'CNAME' },
      { name: 'selector2._domainkey.example.com', type: 'CNAME' },
    ]);
  });

  it("finds a selector's CNAME under its own question or in front of the TXT answer", () => {
    expect(selectorQuestionKeys('selector1', 'Example.com.')).toEqual([
      'selector1._domainkey.example.com/CNAME',
      'selector1._domainkey.example.com/TXT',
    ]);
  });
});
