import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startFakeGitHubOidc } from '../fakes/github-oidc.js';
import { writeFixtureTenant } from './fixture-tenant.js';

/** POSTs a client-credentials request with a federated assertion to the login endpoint over TLS. */
function tokenRequest(authority: string, tenant: string, ca: string, assertion: string): Promise<[number, string]> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    scope: 'https://graph.microsoft.com/.default',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  }).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      `${authority}/${tenant}/oauth2/v2.0/token`,
      { method: 'POST', ca, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        res.on('end', () => resolve([res.statusCode ?? 0, text]));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GitHub OIDC token from the fake runner endpoint, as @actions/core's getIDToken fetches it. */
async function idToken(github: { requestUrl: string; requestToken: string }): Promise<string> {
  const response = await fetch(`${github.requestUrl}&audience=api://AzureADTokenExchange`, {
    headers: { authorization: `Bearer ${github.requestToken}` },
  });
  return ((await response.json()) as { value: string }).value;
}

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

  it("--federated-issuer and --federated-subject: the login takes only that issuer's token, for that subject", async () => {
    const dir = await tempDir();
    await writeFixtureTenant(dir);
    const caFile = path.join(dir, 'ca.pem');
    const subject = 'repo:contoso-4711/it-audit-90210:ref:refs/heads/main';
    const right = await startFakeGitHubOidc({ subject });
    const other = await startFakeGitHubOidc({ subject: 'repo:contoso/it-audit:ref:refs/heads/main' });
    let stdout = '';
    const answers: [number, string][] = [];
    try {
      const code = await main(
        [
          'simulate',
          '--tenant',
          dir,
          '--ca-cert-out',
          caFile,
          '--federated-issuer',
          right.issuer,
          '--federated-subject',
          subject,
        ],
        {
          stdout: (t) => {
            stdout += t;
          },
          stderr: () => undefined,
          isTty: false,
          env: {},
          now: () => new Date(),
          untilStopped: async () => {
            const authority = /Authority: +(\S+)/.exec(stdout)?.[1] ?? '';
            const tenant = /Simulated tenant (\S+)/.exec(stdout)?.[1] ?? '';
            const ca = await readFile(caFile, 'utf8');
            answers.push(await tokenRequest(authority, tenant, ca, await idToken(right)));
            answers.push(await tokenRequest(authority, tenant, ca, await idToken(other)));
          },
        },
      );
      expect(code).toBe(0);
    } finally {
      await right.close();
      await other.close();
    }
    expect(stdout).toContain(
      `Federated:  issuer ${right.issuer}, subject ${subject}, audience api://AzureADTokenExchange`,
    );
    expect(answers[0]?.[0]).toBe(200);
    expect(answers[0]?.[1]).toContain('access_token');
    // The other issuer's token (same subject form, other keys and issuer) is refused by name.
    expect(answers[1]?.[0]).toBe(401);
    expect(answers[1]?.[1]).toContain(
      `AADSTS700211: No matching federated identity record found for presented assertion issuer '${other.issuer}'`,
    );
    for (const args of [
      ['simulate', '--tenant', dir, '--federated-issuer', right.issuer],
      ['simulate', '--tenant', dir, '--federated-issuer', 'not a url', '--federated-subject', subject],
    ]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
    }
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

  it('exits 2 in one line when --port is taken', async () => {
    const dir = await tempDir();
    await writeFixtureTenant(dir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as AddressInfo).port;
      const result = await runCli(['simulate', '--tenant', dir, '--port', String(port)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`--port ${port}: port ${port} on 127.0.0.1 is in use`);
      expect(result.stderr).not.toMatch(/internal error|report it as a bug|\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
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
