import { describe, expect, it } from 'vitest';
import { accessRights, identityKeys, mailboxName, stringList, text } from '../../src/checks/exchange-values.js';

/*
 * How InvokeCommand values are read. A value of a shape the readers cannot read must come back as
 * `undefined`, so the checks fail closed on it instead of reading it as empty.
 */

describe('text', () => {
  it('trims a string and reads a blank or empty one as absent', () => {
    expect(text('  Adele Vance \t')).toBe('Adele Vance');
    expect(text('')).toBeUndefined();
    expect(text('   ')).toBeUndefined();
    expect(text(7)).toBeUndefined();
    expect(text(null)).toBeUndefined();
  });
});

describe('stringList', () => {
  it('reads absent and null as an empty list', () => {
    expect(stringList(undefined)).toEqual([]);
    expect(stringList(null)).toEqual([]);
  });

  it('reads one string as a one-item list, trimmed, and a blank one as empty', () => {
    expect(stringList(' MailItemsAccessed ')).toEqual(['MailItemsAccessed']);
    expect(stringList('   ')).toEqual([]);
    expect(stringList('')).toEqual([]);
  });

  it('trims the items of a list and drops the blank ones', () => {
    expect(stringList([' Send ', '', '  ', 'Update'])).toEqual(['Send', 'Update']);
  });

  it('cannot read a list with any item that is not a string, nor an object or a number', () => {
    expect(stringList(['Send', 3])).toBeUndefined();
    expect(stringList([3])).toBeUndefined();
    expect(stringList({ value: 'Send' })).toBeUndefined();
    expect(stringList(3)).toBeUndefined();
  });
});

describe('accessRights', () => {
  it('splits a comma-separated string and drops empty parts', () => {
    expect(accessRights('ReadPermission, FullAccess')).toEqual(['ReadPermission', 'FullAccess']);
    expect(accessRights(['FullAccess,', ' ,SendAs'])).toEqual(['FullAccess', 'SendAs']);
  });

  it('cannot read what stringList cannot read', () => {
    expect(accessRights(7)).toBeUndefined();
    expect(accessRights(['FullAccess', false])).toBeUndefined();
  });
});

describe('identityKeys', () => {
  it('gives each name the object has, lower-case, and leaves out the missing and blank ones', () => {
    expect(identityKeys({ Identity: 'Adele Vance', Name: '  ', Alias: 'ADELE', DisplayName: null })).toEqual([
      'adele vance',
      'adele',
    ]);
  });
});

describe('mailboxName', () => {
  it('names a mailbox by sign-in name, else address, else identity, else as unnamed', () => {
    const full = { UserPrincipalName: 'adele@contoso.example', PrimarySmtpAddress: 'a@contoso.example', Identity: 'A' };
    expect(mailboxName(full)).toBe('adele@contoso.example');
    expect(mailboxName({ PrimarySmtpAddress: 'a@contoso.example', Identity: 'Adele Vance' })).toBe('a@contoso.example');
    expect(mailboxName({ UserPrincipalName: ' ', Identity: 'Adele Vance' })).toBe('Adele Vance');
    expect(mailboxName({})).toBe('(unnamed mailbox)');
  });
});
