import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as packet from 'dns-packet';
import { generate } from 'selfsigned';

/**
 * A real DNS lab on loopback: Knot (authoritative, zone files from a folder) behind Unbound
 * (recursive, one stub-zone per zone, module-config "iterator"), as in ../shared/dns-lab.
 * Both run in the foreground as direct children and are stopped by PID.
 */
export interface DnsLab {
  /** Unbound's port on 127.0.0.1: what clients ask. */
  readonly port: number;
  /** Knot's port on 127.0.0.1. */
  readonly knotPort: number;
  /** With `doh: true`: Unbound's DNS-over-HTTPS endpoint, https://127.0.0.1:PORT/dns-query. */
  readonly dohUrl?: string;
  /** With `doh: true`: the certificate Unbound serves DoH with, generated at start (PEM). */
  readonly dohCa?: string;
  stop(): Promise<void>;
}

const BINARIES = ['knotd', 'unbound'] as const;

function binaryPath(name: string): string | undefined {
  for (const dir of [
    '/usr/sbin',
    '/usr/bin',
    '/usr/local/sbin',
    '/usr/local/bin',
    ...(process.env.PATH ?? '').split(':'),
  ]) {
    const candidate = path.join(dir, name);
    if (spawnSync('test', ['-x', candidate]).status === 0) return candidate;
  }
  return undefined;
}

/** Whether knotd and unbound are installed; the reason when not. */
export function dnsLabAvailability(): { available: true } | { available: false; reason: string } {
  const missing = BINARIES.filter((b) => binaryPath(b) === undefined);
  return missing.length === 0
    ? { available: true }
    : { available: false, reason: `${missing.join(' and ')} not installed` };
}

/** Whether the installed Unbound can serve DNS-over-HTTPS (built with libnghttp2, as Debian's is). */
export function dnsLabDohAvailability(): { available: true } | { available: false; reason: string } {
  const lab = dnsLabAvailability();
  if (!lab.available) return lab;
  const unbound = binaryPath('unbound') ?? 'unbound';
  const version = spawnSync(unbound, ['-V'], { encoding: 'utf8' });
  const text = `${version.stdout ?? ''}${version.stderr ?? ''}`;
  return /nghttp2/.test(text)
    ? { available: true }
    : { available: false, reason: 'unbound was built without libnghttp2 (no DoH)' };
}

/** CI sets MAILWARDEN_REQUIRE_DNS_LAB=1: there a missing server is a failure, not a skip. */
export function dnsLabRequired(): boolean {
  return process.env.MAILWARDEN_REQUIRE_DNS_LAB === '1';
}

/** A port free for both UDP and TCP on 127.0.0.1. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/** Polls with a SOA query until the server answers (Knot is ready in ~60 ms). */
async function waitForAnswer(
  port: number,
  zone: string,
  child: ChildProcess,
  log: () => string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DNS server exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        resolve(false);
      }, 100);
      socket.on('message', (bytes) => {
        clearTimeout(timer);
        socket.close();
        const reply = packet.decode(bytes);
        resolve(((reply.flags ?? 0) & 0xf) === 0 && (reply.answers?.length ?? 0) > 0);
      });
      socket.send(
        packet.encode({
          type: 'query',
          id: 7,
          flags: packet.RECURSION_DESIRED,
          questions: [{ type: 'SOA', class: 'IN', name: zone }],
        }),
        port,
        '127.0.0.1',
      );
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`DNS server on port ${port} did not answer for ${zone}: ${log()}`);
}

/** Waits until a TCP port accepts connections (Unbound opens its DoH port with the others). */
async function waitForTcp(port: number, child: ChildProcess, log: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DNS server exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`DoH port ${port} did not open: ${log()}`);
}

function startChild(command: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, log: () => output };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, 3000);
  await exited;
  clearTimeout(timer);
}

export interface DnsLabOptions {
  /**
   * Also serve DNS-over-HTTPS (RFC 8484) from Unbound on another loopback port, with a
   * self-signed certificate for 127.0.0.1 generated here. Unbound's DoH is HTTP/2 only
   * (Debian builds it with libnghttp2).
   */
  readonly doh?: boolean;
}

/** Starts Knot with `zones` (files `<zone>.zone` in `zoneDir`) and Unbound in front of it. */
export async function startDnsLab(
  zoneDir: string,
  zones: readonly string[],
  options: DnsLabOptions = {},
): Promise<DnsLab> {
  const knotd = binaryPath('knotd');
  const unbound = binaryPath('unbound');
  if (!knotd || !unbound) throw new Error('knotd and unbound must be installed (apt-get install knot unbound)');
  const work = await mkdtemp(path.join(tmpdir(), 'mailwarden-dnslab-'));
  await mkdir(path.join(work, 'knot'));
  const knotPort = await freePort();
  const knotConf = [
    'server:',
    `    rundir: "${work}/knot"`,
    // No `user:`: Knot then keeps the uid it was started with, so the lab also runs unprivileged
    // (a GitHub-hosted runner); naming root:root makes knotd fail to drop privileges there.
    `    listen: 127.0.0.1@${knotPort}`,
    '    background-workers: 1',
    '    udp-workers: 2',
    '    tcp-workers: 2',
    'log:',
    '  - target: stderr',
    '    any: warning',
    'database:',
    `    storage: "${work}/knot"`,
    'template:',
    '  - id: default',
    `    storage: "${path.resolve(zoneDir)}"`,
    '    file: "%s.zone"',
    '    zonefile-sync: -1',
    '    zonefile-load: whole',
    '    journal-content: none',
    'zone:',
    ...zones.map((z) => `  - domain: ${z}`),
    '',
  ].join('\n');
  await writeFile(path.join(work, 'knot.conf'), knotConf);
  const knot = startChild(knotd, ['-c', path.join(work, 'knot.conf')]);
  let resolver: ReturnType<typeof startChild> | undefined;
  try {
    await waitForAnswer(knotPort, zones[0] ?? '.', knot.child, knot.log);
    const port = await freePort();
    let doh: { port: number; ca: string } | undefined;
    if (options.doh) {
      const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
        keySize: 2048,
        algorithm: 'sha256',
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
      });
      await writeFile(path.join(work, 'doh.key'), pems.private, { mode: 0o600 });
      await writeFile(path.join(work, 'doh.pem'), pems.cert);
      doh = { port: await freePort(), ca: pems.cert };
    }
    const unboundConf = [
      'server:',
      '    interface: 127.0.0.1',
      `    port: ${port}`,
      // An interface on https-port serves DoH (unbound.conf(5)); the endpoint path is fixed here.
      ...(doh
        ? [
            `    interface: 127.0.0.1@${doh.port}`,
            `    https-port: ${doh.port}`,
            `    tls-service-key: "${work}/doh.key"`,
            `    tls-service-pem: "${work}/doh.pem"`,
            '    http-endpoint: "/dns-query"',
            '    http-notls-downstream: no',
            '    incoming-num-tcp: 64',
          ]
        : []),
      '    do-daemonize: no',
      '    use-syslog: no',
      '    logfile: ""',
      '    username: ""',
      '    chroot: ""',
      `    directory: "${work}"`,
      '    pidfile: ""',
      '    verbosity: 0',
      '    num-threads: 1',
      '    do-ip6: no',
      '    module-config: "iterator"',
      '    do-not-query-localhost: no',
      '    access-control: 127.0.0.0/8 allow',
      '    qname-minimisation: no',
      '    ratelimit: 0',
      '    ip-ratelimit: 0',
      '    msg-cache-size: 16m',
      '    rrset-cache-size: 32m',
      '    outgoing-range: 512',
      '    num-queries-per-thread: 512',
      // Unbound answers RFC 6761 names (test., invalid., ...) itself unless told not to.
      ...[...new Set(zones.flatMap((z) => [z, z.split('.').at(-1) ?? z]))].map(
        (z) => `    local-zone: "${z}." nodefault`,
      ),
      ...zones.map((z) => `    domain-insecure: "${z}."`),
      'remote-control:',
      '    control-enable: no',
      ...zones.flatMap((z) => ['stub-zone:', `    name: "${z}."`, `    stub-addr: 127.0.0.1@${knotPort}`]),
      '',
    ].join('\n');
    await writeFile(path.join(work, 'unbound.conf'), unboundConf);
    resolver = startChild(unbound, ['-d', '-c', path.join(work, 'unbound.conf')]);
    await waitForAnswer(port, zones[0] ?? '.', resolver.child, resolver.log);
    if (doh) await waitForTcp(doh.port, resolver.child, resolver.log);
    const started = resolver;
    return {
      port,
      knotPort,
      ...(doh ? { dohUrl: `https://127.0.0.1:${doh.port}/dns-query`, dohCa: doh.ca } : {}),
      stop: async () => {
        await stopChild(started.child);
        await stopChild(knot.child);
        await rm(work, { recursive: true, force: true });
      },
    };
  } catch (error: unknown) {
    if (resolver) await stopChild(resolver.child);
    await stopChild(knot.child);
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
