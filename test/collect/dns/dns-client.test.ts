import * as packet from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsClient } from '../../../src/collect/dns/dns-client.js';
import { RecordingResolver } from '../../../src/snapshot/recording-resolver.js';
import { parseDnsServer, parseResolvConf } from '../../../src/collect/dns/server-address.js';
import { ReplayResolver } from '../../../src/snapshot/replay-resolver.js';
import {
  startFakeDohServer,
  type FakeDohServer as DohServer,
  type FakeDohHandler,
} from '../../helpers/fake-doh-server.js';
import { replyTo, startFakeDnsServer, type FakeDnsServer, type FakeHandler } from '../../helpers/fake-dns-server.js';

let servers: (FakeDnsServer | DohServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function startDohServer(handler: FakeDohHandler): Promise<DohServer> {
  const server = await startFakeDohServer(handler);
  servers.push(server);
  return server;
}

async function serve(handler: FakeHandler): Promise<FakeDnsServer> {
  const server = await startFakeDnsServer(handler);
  servers.push(server);
  return server;
}

function client(server: FakeDnsServer, options: Partial<ConstructorParameters<typeof DnsClient>[0]> = {}): DnsClient {
  return new DnsClient({
    servers: [{ kind: 'dns', host: server.address, port: server.port }],
    timeoutMs: 2000,
    retries: 0,
    ...options,
  });
}

const txt = (name: string, strings: (string | Buffer)[], ttl = 300): packet.Answer => ({
  type: 'TXT',
  name,
  ttl,
  class: 'IN',
  data: strings,
});

describe('DnsClient over loopback UDP/TCP', () => {
  it('returns TXT strings and caches by TTL', async () => {
    const server = await serve((q) => replyTo(q, [txt(q.questions?.[0]?.name ?? '', ['v=spf1 ', '-all'])]));
    const dns = client(server);
    const first = await dns.resolve('Example.TEST.', 'TXT');
    expect(first.rcode).toBe('NOERROR');
    expect(first.records[0]?.data).toEqual(['v=spf1 ', '-all']);
    await dns.resolve('example.test', 'txt');
    expect(server.queries).toHaveLength(1);
    expect(dns.stats.cacheHits).toBe(1);
  });

  it('tells NXDOMAIN, NODATA, SERVFAIL and REFUSED apart', async () => {
    const codes: Record<string, number> = { nx: 3, nodata: 0, servfail: 2, refused: 5 };
    const server = await serve((q) =>
      replyTo(q, [], 0, codes[(q.questions?.[0]?.name ?? '').split('.')[0] ?? ''] ?? 0),
    );
    const dns = client(server);
    expect((await dns.resolve('nx.example.test', 'TXT')).rcode).toBe('NXDOMAIN');
    const nodata = await dns.resolve('nodata.example.test', 'TXT');
    expect([nodata.rcode, nodata.records.length]).toEqual(['NOERROR', 0]);
    expect((await dns.resolve('servfail.example.test', 'TXT')).rcode).toBe('SERVFAIL');
    expect((await dns.resolve('refused.example.test', 'TXT')).rcode).toBe('REFUSED');
  });

  it('falls back to TCP when the UDP reply is truncated', async () => {
    const big = 'x'.repeat(200);
    const server = await serve((q, transport) =>
      transport === 'udp'
        ? replyTo(q, [], packet.TRUNCATED_RESPONSE)
        : replyTo(q, [txt('big.example.test', [big, big, big])]),
    );
    const dns = client(server);
    const answer = await dns.resolve('big.example.test', 'TXT');
    expect(answer.rcode).toBe('NOERROR');
    expect(server.queries.map((q) => q.transport)).toEqual(['udp', 'tcp']);
    expect(dns.stats.tcpFallbacks).toBe(1);
  });

  it('a silent server ends in TIMEOUT after the retries, without hanging', async () => {
    const server = await serve(() => undefined);
    const dns = client(server, { timeoutMs: 100, retries: 2 });
    const answer = await dns.resolve('silent.example.test', 'TXT');
    expect(answer.rcode).toBe('TIMEOUT');
    expect(server.queries).toHaveLength(3);
  });

  it('garbage is MALFORMED with a reason', async () => {
    const server = await serve(() => Buffer.from('this is not a DNS message at all'));
    const answer = await client(server, { timeoutMs: 500 }).resolve('garbage.example.test', 'TXT');
    expect(answer.rcode).toBe('MALFORMED');
    expect(answer.detail).toBeTruthy();
  });

  it('a reply with a mismatched ID or question is MALFORMED, never data', async () => {
    const wrongId = await serve((q) => ({
      ...replyTo(q, [txt('id.example.test', ['v=spf1 +all'])]),
      id: ((q.id ?? 0) + 1) & 0xffff,
    }));
    const byId = await client(wrongId, { timeoutMs: 500 }).resolve('id.example.test', 'TXT');
    expect(byId.rcode).toBe('MALFORMED');
    expect(byId.detail).toMatch(/ID/);
    const wrongQuestion = await serve((q) => ({
      ...replyTo(q, [txt('evil.example.test', ['v=spf1 +all'])]),
      questions: [{ name: 'evil.example.test', type: 'TXT', class: 'IN' }],
    }));
    const byQuestion = await client(wrongQuestion, { timeoutMs: 500 }).resolve('q.example.test', 'TXT');
    expect(byQuestion.rcode).toBe('MALFORMED');
    expect(byQuestion.detail).toMatch(/question/);
  });

  it('TXT with non-ASCII bytes, 10 KB, or 100 strings is MALFORMED', async () => {
    const server = await serve((q, transport) => {
      const name = q.questions?.[0]?.name ?? '';
      if (name.startsWith('utf8')) return replyTo(q, [txt(name, [Buffer.from('v=spf1 ip4:192.0.2.1 ~all é', 'utf8')])]);
      if (name.startsWith('huge')) {
        return transport === 'udp'
          ? replyTo(q, [], packet.TRUNCATED_RESPONSE)
          : replyTo(q, [
              txt(
                name,
                Array.from({ length: 40 }, () => 'y'.repeat(250)),
              ),
            ]);
      }
      return transport === 'udp'
        ? replyTo(q, [], packet.TRUNCATED_RESPONSE)
        : replyTo(q, [
            txt(
              name,
              Array.from({ length: 100 }, (_, i) => `s${i}`),
            ),
          ]);
    });
    const dns = client(server);
    for (const name of ['utf8.example.test', 'huge.example.test', 'many.example.test']) {
      const answer = await dns.resolve(name, 'TXT');
      expect(answer.rcode, name).toBe('MALFORMED');
      expect(answer.detail, name).toMatch(/TXT record/);
    }
  });

  it('follows a CNAME the server left unfinished', async () => {
    const server = await serve((q) => {
      const name = q.questions?.[0]?.name ?? '';
      if (name === 'alias.example.test')
        return replyTo(q, [{ type: 'CNAME', name, ttl: 60, class: 'IN', data: 'target.example.test' }]);
      return replyTo(q, [txt(name, ['hello'])]);
    });
    const answer = await client(server).resolve('alias.example.test', 'TXT');
    expect(answer.records.map((r) => r.type)).toEqual(['CNAME', 'TXT']);
    expect(answer.records[1]?.name).toBe('target.example.test');
  });

  it('tries the next server after a failure', async () => {
    const bad = await serve((q) => replyTo(q, [], 0, 2));
    const good = await serve((q) => replyTo(q, [txt(q.questions?.[0]?.name ?? '', ['ok'])]));
    const dns = new DnsClient({
      servers: [
        { kind: 'dns', host: bad.address, port: bad.port },
        { kind: 'dns', host: good.address, port: good.port },
      ],
      timeoutMs: 2000,
      retries: 1,
    });
    expect((await dns.resolve('x.example.test', 'TXT')).rcode).toBe('NOERROR');
  });

  it('after the DNS phase deadline every question is TIMEOUT at once', async () => {
    const server = await serve(() => undefined);
    const dns = client(server, { deadline: Date.now() - 1 });
    const answer = await dns.resolve('late.example.test', 'TXT');
    expect(answer.rcode).toBe('TIMEOUT');
    expect(server.queries).toHaveLength(0);
  });

  it('DoH posts application/dns-message with ID 0 over HTTP/2 to a loopback TLS server (RFC 8484)', async () => {
    const seen: string[] = [];
    const doh = await startDohServer((query, headers, respond) => {
      seen.push(`${String(headers[':method'])} ${String(headers['content-type'])} id=${query.id ?? -1}`);
      respond(200, 'application/dns-message', packet.encode(replyTo(query, [txt('doh.example.test', ['via doh'])])));
    });
    const dns = new DnsClient({ servers: [parseDnsServer(doh.url)], dohCa: doh.ca, timeoutMs: 2000, retries: 0 });
    const answer = await dns.resolve('doh.example.test', 'TXT');
    expect(answer.records[0]?.data).toEqual(['via doh']);
    expect(answer.server).toBe(doh.url);
    expect((await dns.resolve('second.example.test', 'TXT')).rcode).toBe('NOERROR');
    expect(seen).toEqual(['POST application/dns-message id=0', 'POST application/dns-message id=0']);
    // Both queries went over one HTTP/2 session.
    expect(doh.sessions()).toBe(1);
    dns.close();
  });

  it('DoH failures are MALFORMED or TIMEOUT with a reason: HTTP error, wrong type, garbage, untrusted certificate, silence', async () => {
    const doh = await startDohServer((query, _headers, respond) => {
      const name = query.questions?.[0]?.name ?? '';
      if (name.startsWith('http500')) respond(500, 'text/plain', Buffer.from('oops'));
      else if (name.startsWith('html')) respond(200, 'text/html', Buffer.from('<html></html>'));
      else if (name.startsWith('garbage')) respond(200, 'application/dns-message', Buffer.from('definitely not DNS'));
      else if (name.startsWith('wrongid'))
        respond(200, 'application/dns-message', packet.encode({ ...replyTo(query, []), id: 77 }));
      // silent: never respond
    });
    // Generous: the first request also pays the TLS handshake, which a loaded machine slows.
    const dns = new DnsClient({ servers: [parseDnsServer(doh.url)], dohCa: doh.ca, timeoutMs: 2000, retries: 0 });
    const cases: [string, string, RegExp][] = [
      ['http500.example.test', 'MALFORMED', /HTTP 500/],
      ['html.example.test', 'MALFORMED', /content-type "text\/html"/],
      ['garbage.example.test', 'MALFORMED', /undecodable|does not match/],
      ['wrongid.example.test', 'MALFORMED', /ID 77 does not match/],
      ['silent.example.test', 'TIMEOUT', /timeout/],
    ];
    for (const [name, rcode, detail] of cases) {
      const answer = await dns.resolve(name, 'TXT');
      expect(answer.rcode, name).toBe(rcode);
      expect(answer.detail, name).toMatch(detail);
    }
    dns.close();
    // Without the test CA, the server's self-signed certificate is refused: TLS is checked.
    const untrusting = new DnsClient({ servers: [parseDnsServer(doh.url)], timeoutMs: 2000, retries: 0 });
    const refused = await untrusting.resolve('doh.example.test', 'TXT');
    expect(refused.rcode).toBe('MALFORMED');
    expect(refused.detail).toMatch(/certificate/i);
    untrusting.close();
  });

  it('recording then replay gives the same answers; an unasked question is NOT_COLLECTED', async () => {
    const server = await serve((q) => replyTo(q, [txt(q.questions?.[0]?.name ?? '', ['rec'])]));
    const recorder = new RecordingResolver(client(server));
    const live = await recorder.resolve('rec.example.test', 'TXT');
    const replay = new ReplayResolver(JSON.parse(JSON.stringify(recorder.data())));
    expect(await replay.resolve('REC.example.test.', 'TXT')).toEqual(live);
    expect((await replay.resolve('other.example.test', 'TXT')).rcode).toBe('NOT_COLLECTED');
  });
});

describe('server addresses', () => {
  it('parses HOST, HOST:PORT, [v6]:PORT, v6 and https URLs', () => {
    expect(parseDnsServer('127.0.0.1')).toEqual({ kind: 'dns', host: '127.0.0.1', port: 53 });
    expect(parseDnsServer('127.0.0.1:5353')).toEqual({ kind: 'dns', host: '127.0.0.1', port: 5353 });
    expect(parseDnsServer('[::1]:5353')).toEqual({ kind: 'dns', host: '::1', port: 5353 });
    expect(parseDnsServer('::1')).toEqual({ kind: 'dns', host: '::1', port: 53 });
    expect(parseDnsServer('https://dns.example/dns-query').kind).toBe('doh');
    expect(() => parseDnsServer('dns.example.com')).toThrow(/IP address/);
    expect(() => parseDnsServer('127.0.0.1:99999')).toThrow(/port/);
  });
  it('reads nameserver lines from resolv.conf', () => {
    expect(parseResolvConf('# c\nnameserver 10.0.0.1\nsearch x\nnameserver ::1\nnameserver bogus\n')).toEqual([
      { kind: 'dns', host: '10.0.0.1', port: 53 },
      { kind: 'dns', host: '::1', port: 53 },
    ]);
  });
});
