import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/simulator/start-simulator.js';
import { simulate } from './simulated-tenant.js';

let sim: RunningSimulator;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ sim, stop } = await simulate());
});
afterAll(async () => stop());

function query(name: string, type: RecordType, id = 4242): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

function udp(name: string, type: RecordType, timeoutMs = 1000): Promise<DecodedPacket | 'timeout'> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      resolve('timeout');
    }, timeoutMs);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(dnsPacket.decode(message));
    });
    socket.on('error', reject);
    socket.send(query(name, type), sim.dns.port, sim.dns.host);
  });
}

function tcp(name: string, type: RecordType): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.dns.port, sim.dns.host);
    let buffered = Buffer.alloc(0);
    socket.on('connect', () => {
      const message = query(name, type);
      const framed = Buffer.alloc(2 + message.length);
      framed.writeUInt16BE(message.length, 0);
      message.copy(framed, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        socket.destroy();
        resolve(dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0))));
      }
    });
    socket.on('error', reject);
  });
}

/** dns-packet decodes the RCODE as a name; its type definitions omit the field. */
const rcode = (packet: DecodedPacket | 'timeout'): string =>
  packet === 'timeout' ? 'timeout' : String((packet as DecodedPacket & { rcode: string }).rcode);

const txt = (packet: DecodedPacket): string[] =>
  (packet.answers ?? []).map((a) => ((a as { data: Buffer[] }).data ?? []).map((b) => b.toString('utf8')).join(''));

describe('simulated DNS server', () => {
  it('answers TXT and MX over UDP with the question echoed and AA set', async () => {
    const reply = await udp('Alpha.Example.', 'TXT');
    expect(reply).not.toBe('timeout');
    const packet = reply as DecodedPacket;
    expect(packet.id).toBe(4242);
    expect(rcode(packet)).toBe('NOERROR');
    expect(packet.flag_aa).toBe(true);
    expect(packet.questions?.[0]?.name.toLowerCase()).toBe('alpha.example');
    expect(txt(packet)).toEqual(['v=spf1 include:spf.protection.outlook.com -all']);
    const mx = (await udp('alpha.example', 'MX')) as DecodedPacket;
    expect((mx.answers![0] as { data: { exchange: string } }).data.exchange).toBe(
      'alpha-example.mail.protection.outlook.com',
    );
    const cname = (await udp('selector1._domainkey.alpha.example', 'CNAME')) as DecodedPacket;
    expect(cname.answers?.[0]?.type).toBe('CNAME');
  });

  it('splits a stored TXT value longer than 255 bytes into character-strings (RFC 1035 §3.3)', async () => {
    const answer = await tcp('key.alpha.example', 'TXT');
    const strings = (answer.answers?.[0] as { data: Buffer[] } | undefined)?.data ?? [];
    expect(strings.map((b) => b.length)).toEqual([255, 155]);
    expect(Buffer.concat(strings).toString()).toBe(`v=DKIM1; k=rsa; p=${'A'.repeat(392)}`);
  });

  it('tells NXDOMAIN from NODATA, and returns a recorded SERVFAIL', async () => {
    expect(rcode(await udp('nowhere.alpha.example', 'TXT'))).toBe('NXDOMAIN');
    const nodata = (await udp('alpha.example', 'AAAA')) as DecodedPacket;
    expect([rcode(nodata), nodata.answers?.length]).toEqual(['NOERROR', 0]);
    // An ancestor of a recorded name exists (empty non-terminal).
    expect(rcode(await udp('_domainkey.alpha.example', 'TXT'))).toBe('NOERROR');
    expect(rcode(await udp('broken.alpha.example', 'TXT'))).toBe('SERVFAIL');
  });

  it('never answers a recorded TIMEOUT', async () => {
    expect(await udp('slow.alpha.example', 'TXT', 300)).toBe('timeout');
  });

  it('sets TC on a UDP answer over 512 bytes and gives the full answer over TCP', async () => {
    const truncated = (await udp('big.alpha.example', 'TXT')) as DecodedPacket;
    expect(truncated.flag_tc).toBe(true);
    expect(truncated.answers).toHaveLength(0);
    const full = await tcp('big.alpha.example', 'TXT');
    expect(full.flag_tc).toBe(false);
    expect(full.answers).toHaveLength(12);
    expect(sim.stats().dns.truncated).toBeGreaterThan(0);
  });
});
