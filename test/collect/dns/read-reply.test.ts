import * as packet from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { readReply, type ReplyMessage } from '../../../src/collect/dns/read-reply.js';
import { decodeReply, decodeReplyByReader, encodeQuery, QUERY_TYPES } from '../../../src/collect/dns/wire.js';

/** dns-packet gives the question class as text; the reader keeps the code (RFC 1035 §3.2.4). */
function classCode(text: string): number {
  const codes: Record<string, number> = { IN: 1, CS: 2, CH: 3, HS: 4, ANY: 255 };
  return codes[text] ?? Number(text.replace('UNKNOWN_', ''));
}

/** dns-packet's view of the same bytes, in the reader's shape (the reference for the reader). */
function reference(bytes: Buffer): ReplyMessage {
  const decoded = packet.decode(bytes);
  const kept = ['A', 'AAAA', 'MX', 'TXT', 'PTR', 'CNAME', 'NS'];
  const lower = (n: string) => n.toLowerCase();
  const truncated = ((decoded.flags ?? 0) & packet.TRUNCATED_RESPONSE) !== 0;
  return {
    id: decoded.id ?? 0,
    flags: decoded.flags ?? 0,
    response: decoded.type === 'response',
    questions: (decoded.questions ?? []).map((q) => ({
      name: lower(q.name),
      type: q.type,
      qclass: classCode(String(q.class)),
    })),
    answers: truncated
      ? []
      : (decoded.answers ?? [])
          .filter((a) => kept.includes(a.type))
          .map((a) => {
            const ttl = 'ttl' in a ? (a.ttl ?? 0) : 0;
            if (a.type === 'MX')
              return {
                name: lower(a.name),
                type: a.type,
                ttl,
                data: { preference: a.data.preference ?? 0, exchange: lower(a.data.exchange) },
              };
            if (a.type === 'TXT')
              return {
                name: lower(a.name),
                type: a.type,
                ttl,
                data: (Array.isArray(a.data) ? a.data : [a.data]) as Buffer[],
              };
            if (a.type === 'A' || a.type === 'AAAA') return { name: lower(a.name), type: a.type, ttl, data: a.data };
            return { name: lower(a.name), type: a.type as 'CNAME', ttl, data: lower((a as packet.StringAnswer).data) };
          }),
  };
}

const sample = packet.encode({
  type: 'response',
  id: 4242,
  flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE,
  questions: [{ name: 'Alias.Example.TEST', type: 'TXT', class: 'IN' }],
  answers: [
    { name: 'alias.example.test', type: 'CNAME', ttl: 60, class: 'IN', data: 'Target.example.test' },
    {
      name: 'target.example.test',
      type: 'TXT',
      ttl: 300,
      class: 'IN',
      data: [Buffer.from('v=spf1 '), Buffer.from('-all'), Buffer.alloc(0)],
    },
    { name: 'target.example.test', type: 'A', ttl: 30, class: 'IN', data: '192.0.2.7' },
    { name: 'target.example.test', type: 'AAAA', ttl: 30, class: 'IN', data: '2001:db8::1' },
    { name: 'target.example.test', type: 'AAAA', ttl: 30, class: 'IN', data: '::' },
    { name: 'target.example.test', type: 'AAAA', ttl: 30, class: 'IN', data: '2001:db8:0:1:0:0:0:1' },
    {
      name: 'target.example.test',
      type: 'MX',
      ttl: 30,
      class: 'IN',
      data: { preference: 10, exchange: 'mail.example.test' },
    },
    { name: '7.2.0.192.in-addr.arpa', type: 'PTR', ttl: 30, class: 'IN', data: 'host.example.test' },
    { name: 'example.test', type: 'NS', ttl: 30, class: 'IN', data: 'ns1.example.test' },
    {
      name: 'example.test',
      type: 'SOA',
      ttl: 30,
      class: 'IN',
      data: {
        mname: 'ns1.example.test',
        rname: 'h.example.test',
        serial: 1,
        refresh: 2,
        retry: 3,
        expire: 4,
        minimum: 5,
      },
    },
  ],
  authorities: [{ name: 'example.test', type: 'NS', ttl: 30, class: 'IN', data: 'ns2.example.test' }],
  additionals: [
    {
      type: 'OPT',
      name: '.',
      udpPayloadSize: 1232,
      extendedRcode: 0,
      ednsVersion: 0,
      flags: 0,
      flag_do: false,
      options: [],
    },
  ],
});

describe('readReply against dns-packet', () => {
  it('reads header, question and every kept record type as dns-packet does', () => {
    expect(readReply(sample)).toEqual(reference(sample));
  });

  it('never throws on a reply cut at any byte, and agrees with dns-packet whenever both read it', () => {
    for (let cut = 0; cut < sample.length; cut++) {
      const bytes = sample.subarray(0, cut);
      const ours = readReply(bytes);
      let theirs: ReplyMessage | undefined;
      try {
        theirs = reference(bytes);
      } catch {
        theirs = undefined;
      }
      if (typeof ours !== 'string' && theirs !== undefined) expect(ours, `cut at ${cut}`).toEqual(theirs);
      // Cut inside the question or answer section: we must notice.
      if (cut < sample.length - 60) expect(typeof ours, `cut at ${cut}`).toBe('string');
    }
  });

  it('never throws on corrupted bytes, and agrees with dns-packet whenever both read them', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    let agreed = 0;
    for (let round = 0; round < 3000; round++) {
      const bytes = Buffer.from(sample);
      for (let flips = 1 + (random() % 3); flips > 0; flips--)
        bytes[12 + (random() % (bytes.length - 12))] = random() & 0xff;
      const ours = readReply(bytes);
      let theirs: ReplyMessage | undefined;
      try {
        theirs = reference(bytes);
      } catch {
        theirs = undefined;
      }
      // dns-packet reads labels as UTF-8 and we keep bytes (latin1): compare where names are ASCII.
      const ascii = (m: ReplyMessage) =>
        /^[\x20-\x7e]*$/.test(JSON.stringify([m.questions, m.answers.map((a) => [a.name, a.data])]));
      if (typeof ours !== 'string' && theirs !== undefined && ascii(ours) && ascii(theirs)) {
        expect(ours.questions.map((q) => q.name)).toEqual(theirs.questions.map((q) => q.name));
        agreed++;
      }
    }
    expect(agreed).toBeGreaterThan(100);
  });

  it('a truncated reply (TC) gives no answers, whatever follows the question', () => {
    const cut = Buffer.from(sample.subarray(0, 60));
    cut.writeUInt16BE(cut.readUInt16BE(2) | packet.TRUNCATED_RESPONSE, 2);
    const read = readReply(cut);
    expect(typeof read === 'string' ? read : read.answers).toEqual([]);
  });

  it('rejects a compression pointer that points forward or at itself (no loops)', () => {
    const bytes = Buffer.from(sample);
    bytes[12] = 0xc0;
    bytes[13] = 12;
    expect(readReply(bytes)).toMatch(/bad pointer/);
  });
});

describe('encodeQuery', () => {
  it('writes the same bytes as dns-packet, with EDNS0 at 1232 bytes', () => {
    for (const type of QUERY_TYPES) {
      for (const name of ['example.test', 'selector1._domainkey.Example.TEST', 'a.b.c.d.e.f.g.example.test.']) {
        const expected = packet.encode({
          type: 'query',
          id: 513,
          flags: packet.RECURSION_DESIRED,
          questions: [{ type, class: 'IN', name }],
          additionals: [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 1232,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: 0,
              flag_do: false,
              options: [],
            },
          ],
        });
        expect(encodeQuery(513, name, type).equals(expected), `${name}/${type}`).toBe(true);
      }
    }
  });
});

describe('decodeReply: the direct path (question echoed byte for byte) agrees with the full reader', () => {
  const query = encodeQuery(4242, 'alias.example.test', 'TXT');
  const both = (bytes: Buffer) => [
    decodeReply(bytes, query, 'alias.example.test', 'TXT', 'srv'),
    decodeReplyByReader(bytes, 4242, 'alias.example.test', 'TXT', 'srv'),
  ];

  it('on the sample (question echoed in another case) and on a reply with TXT records out of bounds', () => {
    const [direct, full] = both(sample);
    expect(direct).toEqual(full);
    expect(direct?.kind).toBe('answer');
    for (const data of [
      [Buffer.from('caf\xe9', 'latin1')],
      Array.from({ length: 65 }, () => 'x'),
      Array.from({ length: 20 }, () => 'y'.repeat(250)),
    ]) {
      const bad = packet.encode({
        type: 'response',
        id: 4242,
        flags: 0,
        questions: [{ name: 'alias.example.test', type: 'TXT', class: 'IN' }],
        answers: [
          { name: 'alias.example.test', type: 'TXT', ttl: 5, class: 'IN', data: ['ok'] },
          { name: 'alias.example.test', type: 'TXT', ttl: 5, class: 'IN', data },
        ],
      });
      const [d, f] = both(bad);
      expect(d).toEqual(f);
      expect(d?.kind).toBe('bad');
    }
  });

  it('on the sample cut at every byte', () => {
    for (let cut = 0; cut <= sample.length; cut++) {
      const [direct, full] = both(sample.subarray(0, cut));
      expect(direct, `cut at ${cut}`).toEqual(full);
    }
  });

  it('on 3,000 corrupted samples, and a question of another class is a mismatch', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 3000; round++) {
      const bytes = Buffer.from(sample);
      for (let flips = 1 + (random() % 3); flips > 0; flips--)
        bytes[2 + (random() % (bytes.length - 2))] = random() & 0xff;
      const [direct, full] = both(bytes);
      expect(direct, `round ${round}`).toEqual(full);
    }
    const chaos = Buffer.from(sample);
    chaos.writeUInt16BE(3, 12 + 'alias.example.test'.length + 2 + 2);
    const decoded = decodeReply(chaos, query, 'alias.example.test', 'TXT');
    expect(decoded.kind === 'bad' && decoded.mismatch).toBe(true);
  });
});
