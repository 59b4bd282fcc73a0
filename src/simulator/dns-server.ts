import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket, { type Answer, type DecodedPacket, type Packet } from 'dns-packet';
import type { Logger } from '../logger.js';
import { type DnsAnswer, type DnsData, type DnsRecord, questionKey } from '../snapshot/dns-types.js';
import { normaliseName } from '../model/domain-name.js';
import { assertLoopback, LOOPBACK_HOST } from './loopback.js';
import type { StatsRecorder } from './stats.js';

/** RFC 1035 §4.1.1 RCODE values. */
const RCODES = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** The RCODE of a recorded answer's code; codes with no RCODE (NOT_COLLECTED) are served as SERVFAIL. */
function rcodeOf(name: string): number {
  return Object.hasOwn(RCODES, name) ? RCODES[name as keyof typeof RCODES] : RCODES.SERVFAIL;
}
/** RFC 1035 §2.3.4: UDP messages are limited to 512 bytes unless EDNS0 (RFC 6891 §6.2.3) says more. */
const CLASSIC_UDP_LIMIT = 512;

export interface RunningDnsServer {
  readonly host: typeof LOOPBACK_HOST;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A TXT character-string holds at most 255 bytes (RFC 1035 §3.3); a longer stored value is
 * sent as consecutive strings, the way a zone file splits a 2048-bit DKIM key.
 */
function characterStrings(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return [bytes];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) out.push(bytes.subarray(i, i + 255));
  return out;
}

function toAnswer(record: DnsRecord): Answer {
  const base = { name: record.name, ttl: record.ttl, class: 'IN' as const };
  if (record.type === 'TXT') {
    const strings = Array.isArray(record.data) ? record.data : [String(record.data)];
    return { ...base, type: 'TXT', data: strings.flatMap(characterStrings) };
  }
  if (record.type === 'MX' && typeof record.data === 'object' && !Array.isArray(record.data)) {
    const mx = record.data as { preference: number; exchange: string };
    return { ...base, type: 'MX', data: { preference: mx.preference, exchange: mx.exchange } };
  }
  return { ...base, type: record.type as 'A', data: String(record.data) };
}

/**
 * The names that exist in the DNS data: every name with an answer, and every ancestor of one
 * (RFC 8020 empty non-terminals), so a question for another type there is NODATA, not NXDOMAIN.
 */
export function knownNames(data: DnsData | undefined): Set<string> {
  const names = new Set<string>();
  for (const key of Object.keys(data?.answers ?? {})) {
    const name = key.slice(0, key.lastIndexOf('/'));
    names.add(name);
    const labels = name.split('.');
    for (let i = 1; i < labels.length; i++) names.add(labels.slice(i).join('.'));
  }
  return names;
}

/**
 * Serves the snapshot's DNS data (dns/answers.json, keyed `name/TYPE`) over UDP and TCP
 * (RFC 1035 §4.2, RFC 7766). A name with other types but not this one is NODATA, a name
 * never seen is NXDOMAIN; recorded SERVFAIL/REFUSED are returned as such, TIMEOUT is never
 * answered and MALFORMED gets bytes that do not parse. Oversized UDP answers set TC.
 */
export class DnsResponder {
  private readonly names: ReadonlySet<string>;

  constructor(
    private readonly data: DnsData | undefined,
    private readonly stats: StatsRecorder,
  ) {
    this.names = knownNames(data);
  }

  /** The reply bytes, or undefined when the recorded outcome is a timeout. */
  respond(query: DecodedPacket, udpLimit: number | undefined): Buffer | undefined {
    const question = query.questions?.[0];
    const ednsQuery = (query.additionals ?? []).find((a) => a.type === 'OPT');
    const reply: Packet = {
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED),
      questions: query.questions ?? [],
      answers: [],
      additionals: ednsQuery
        ? [
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
          ]
        : [],
    };
    if (question === undefined || (query.questions?.length ?? 0) !== 1) {
      reply.flags = (reply.flags ?? 0) | RCODES.FORMERR;
      return dnsPacket.encode(reply);
    }
    const name = normaliseName(question.name);
    const recorded: DnsAnswer | undefined = this.data?.answers[questionKey(question.name, question.type)];
    // NOT_COLLECTED (never asked at capture) is served as SERVFAIL through the default below.
    if (recorded?.rcode === 'TIMEOUT') return undefined;
    if (recorded?.rcode === 'MALFORMED')
      return Buffer.from([((query.id ?? 0) >> 8) & 0xff, (query.id ?? 0) & 0xff, 0x81]);
    let rcode: number;
    if (recorded !== undefined) {
      rcode = rcodeOf(recorded.rcode);
      if (rcode === 0) reply.answers = recorded.records.map(toAnswer);
    } else rcode = this.names.has(name) ? RCODES.NOERROR : RCODES.NXDOMAIN;
    reply.flags = (reply.flags ?? 0) | rcode;
    const bytes = dnsPacket.encode(reply);
    if (udpLimit !== undefined) {
      const ednsSize =
        ednsQuery !== undefined && 'udpPayloadSize' in ednsQuery ? Number(ednsQuery.udpPayloadSize) : undefined;
      const limit = Math.max(CLASSIC_UDP_LIMIT, Math.min(ednsSize ?? CLASSIC_UDP_LIMIT, udpLimit));
      if (bytes.length > limit) {
        // RFC 2181 §9: set TC and send what fits; we send no records, so the client retries over TCP.
        this.stats.value.dns.truncated++;
        return dnsPacket.encode({ ...reply, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
      }
    }
    return bytes;
  }
}

function decode(bytes: Buffer): DecodedPacket | undefined {
  try {
    const packet = dnsPacket.decode(bytes);
    return packet.type === 'query' ? packet : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the UDP and TCP listeners on one loopback port (retrying when an ephemeral UDP port is taken). */
export async function startDnsServer(
  data: DnsData | undefined,
  stats: StatsRecorder,
  logger: Logger,
  port = 0,
): Promise<RunningDnsServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listenDns(data, stats, logger, port);
    } catch (error: unknown) {
      if (port !== 0 || attempt >= 5) throw error;
    }
  }
}

async function listenDns(
  data: DnsData | undefined,
  stats: StatsRecorder,
  logger: Logger,
  port = 0,
): Promise<RunningDnsServer> {
  assertLoopback(LOOPBACK_HOST);
  const responder = new DnsResponder(data, stats);
  const tcp: Server = createServer((socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // RFC 1035 §4.2.2 / RFC 7766 §8: each message is preceded by its 2-byte length.
      while (buffered.length >= 2) {
        const length = buffered.readUInt16BE(0);
        if (buffered.length < 2 + length) break;
        const message = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        stats.value.dns.tcp++;
        const query = decode(message);
        if (query === undefined) continue;
        const reply = responder.respond(query, undefined);
        if (reply === undefined) continue;
        const framed = Buffer.alloc(2 + reply.length);
        framed.writeUInt16BE(reply.length, 0);
        reply.copy(framed, 2);
        socket.write(framed);
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, LOOPBACK_HOST, () => resolve());
  });
  const address = tcp.address();
  if (address === null || typeof address === 'string') throw new Error('DNS TCP listener has no address');
  assertLoopback(address.address);

  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (message, remote) => {
    stats.value.dns.udp++;
    const query = decode(message);
    if (query === undefined) return;
    const reply = responder.respond(query, 4096);
    if (reply !== undefined) udp.send(reply, remote.port, remote.address);
  });
  udp.on('error', (error) => logger.warning(`simulator DNS (UDP): ${error.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(address.port, LOOPBACK_HOST, () => resolve());
    });
  } catch (error: unknown) {
    tcp.close();
    throw error;
  }
  assertLoopback(udp.address().address);
  const connections = new Set<Socket>();
  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
  });
  return {
    host: LOOPBACK_HOST,
    port: address.port,
    async close() {
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => udp.close(() => resolve())),
      ]);
    },
  };
}
