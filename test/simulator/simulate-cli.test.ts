import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { writeFixtureTenant } from './fixture-tenant.js';

describe('mailwarden simulate', () => {
  it('serves the folder until stopped, printing loopback URLs, and writes the CA certificate', async () => {
    const dir = await tempDir();
    await writeFixtureTenant(dir);
    const caFile = path.join(dir, 'ca.pem');
    let stdout = '';
    let graphStatus = 0;
    const code = await main(['simulate', '--tenant', dir, '--realistic', '--ca-cert-out', caFile], {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
      isTty: false,
      env: {},
      now: () => new Date(),
      untilStopped: async () => {
        const graphUrl = /Graph: +(\S+)/.exec(stdout)?.[1] ?? '';
        graphStatus = (await fetch(`${graphUrl}/users`)).status;
      },
    });
    expect(code).toBe(0);
    expect(graphStatus).toBe(401);
    expect(stdout).toMatch(/Graph: +http:\/\/127\.0\.0\.1:\d+\/v1\.0/);
    expect(stdout).toMatch(/DNS: +127\.0\.0\.1:\d+/);
    expect(stdout).not.toContain('mailwarden-simulator-secret');
    expect(await readFile(caFile, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
  });

  it('serves the folder as of its clock by default, and verbatim with --as-captured', async () => {
    const dir = await tempDir();
    await writeFixtureTenant(dir);
    const now = new Date('2027-03-01T12:00:00.250Z');
    const serve = async (extra: readonly string[]) => {
      let stdout = '';
      let newest = '';
      const code = await main(['simulate', '--tenant', dir, ...extra], {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => undefined,
        isTty: false,
        env: {},
        now: () => now,
        untilStopped: async () => {
          const graphUrl = /Graph: +(\S+)/.exec(stdout)?.[1] ?? '';
          const authority = /Authority: +(\S+)/.exec(stdout)?.[1] ?? '';
          expect(graphUrl).not.toBe('');
          expect(authority).not.toBe('');
          newest = stdout;
        },
      });
      return { code, stdout: newest };
    };
    const shifted = await serve([]);
    expect(shifted.code).toBe(0);
    expect(shifted.stdout).toContain('As of:      2027-03-01T12:00:00.000Z (captured 2026-11-27T06:00:00.000Z');
    const verbatim = await serve(['--as-captured']);
    expect(verbatim.stdout).toContain('As captured: 2026-11-27T06:00:00.000Z');
    const mixed = await runCli([
      'simulate',
      '--generate',
      '--as-captured',
      '--users',
      '1',
      '--seed',
      '1',
      '--out',
      dir,
    ]);
    expect(mixed.code).toBe(2);
  });

  it('prints the usage and exits 2 on a bad flag', async () => {
    for (const args of [
      ['simulate', '--tenant', 'x', '--bogus'],
      ['simulate'],
      ['simulate', '--tenant', 'x', '--port', 'eighty'],
      ['simulate', '--tenant', 'x', '--port', '80'],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('Usage: mailwarden');
    }
  });

  it('exits 2 naming the file for a bad folder or realism file', async () => {
    const missing = await runCli(['simulate', '--tenant', '/nonexistent/tenant']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/tenant/manifest.json');
    const dir = await tempDir();
    await writeFixtureTenant(dir);
    const realism = path.join(dir, 'realism.json');
    await writeFile(realism, JSON.stringify({ faults: [{ kind: 'meteor' }] }));
    const bad = await runCli(['simulate', '--tenant', dir, '--realism', realism]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/faults/0/kind');
  });
});
