import { describe, expect, it } from 'vitest';
import { PageRecordSplitter, PageSyntaxError } from '../../../src/collect/graph/page-record-splitter.js';

/** Splits `text` fed in chunks of `size` bytes. */
function split(text: string, size: number) {
  const bytes = Buffer.from(text);
  const splitter = new PageRecordSplitter(16);
  for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size));
  return splitter.end();
}

const PAGE = JSON.stringify({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns',
  value: [
    {
      id: 'a',
      userPrincipalName: 'zoë@contoso.com',
      status: { errorCode: 0 },
      location: { city: 'Zürich "Nord"', geo: [1, [2, {}]] },
    },
    { id: 'b\\', note: '}]{[\\"\u2603', n: -1.5e3, t: true, f: null },
    [],
    'text',
    42,
  ],
  '@odata.nextLink': 'https://graph.microsoft.com/v1.0/auditLogs/signIns?$skiptoken=x',
});

describe('PageRecordSplitter', () => {
  it('reads records and members as JSON.parse does, whatever the chunk size', () => {
    const expected = JSON.parse(PAGE) as Record<string, unknown>;
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const page = split(PAGE, size);
      expect(page.records, `chunks of ${size}`).toEqual(expected.value);
      expect(page.members.get('@odata.nextLink')).toBe(expected['@odata.nextLink']);
      expect(page.members.get('@odata.context')).toBe(expected['@odata.context']);
    }
    const spaced = ` \n{ "value" : [ { "id" : 1 } , { "id" : 2 } ] , "@odata.nextLink" : null }\r\n`;
    expect(split(spaced, 3).records).toEqual([{ id: 1 }, { id: 2 }]);
    expect(split('{"value":[]}', 1).records).toEqual([]);
    expect(split('{}', 1).records).toBeUndefined();
    expect(split('{"value":null}', 1).members.get('value')).toBeNull();
  });

  it('rejects every body JSON.parse rejects, and one cut short', () => {
    const bad = [
      '',
      '   ',
      '{"value":[{"id":1}]',
      '{"value":[{"id":1},]}',
      '{"value":[,{"id":1}]}',
      '{"value":[{"id":1}{"id":2}]}',
      '{"value":[{"id":1]]}',
      '{"value":[{"id":"x}]}',
      '{"value":[{"id":1}]} x',
      '{"value":[{"id":1}],}',
      '{"value" [{"id":1}]}',
      '{value:[{"id":1}]}',
      '{"value":[01]}',
      '{"value":[{"id":1}], "@odata.nextLink": }',
      PAGE.slice(0, PAGE.length - 1),
      PAGE.slice(0, PAGE.length / 2),
    ];
    for (const text of bad) {
      expect(() => JSON.parse(text), text).toThrow();
      for (const size of [1, 5, 100_000])
        expect(() => split(text, size), `${text} in chunks of ${size}`).toThrow(PageSyntaxError);
    }
    // JSON, but not the object a page is.
    expect(() => split('[]', 1)).toThrow(PageSyntaxError);
  });
});
