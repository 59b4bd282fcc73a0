import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.js';
import { cliLogger } from '../../src/cli/cli-logger.js';
import { USAGE } from '../../src/cli/usage.js';
import { maskedParts } from '../../src/model/secrets.js';
import { DEMO_TENANT_DIR } from '../../src/paths.js';
import { configurationError } from '../helpers/configuration-error.js';
import { type CliRun, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/*
 * Every user mistake exits 2 with one line naming the file (and line and JSON pointer where
 * there is one), with no stack trace, and before any result is written or any network call.
 */

const baseline = JSON.parse(await readFile('policies/baseline.json', 'utf8')) as {
  controls: Record<string, Record<string, unknown>>;
};

/** The lines the CLI printed as the error (progress lines aside). */
function errorLines(run: CliRun): string[] {
  return run.stderr
    .trimEnd()
    .split('\n')
    .filter((line) => line.startsWith('mailwarden: ') || line.startsWith('  '));
}

function expectOneLine(run: CliRun, line: string): void {
  expect(run.code, run.stderr).toBe(2);
  expect(errorLines(run)).toEqual([`mailwarden: ${line}`]);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const dir = await tempDir();
  const at = path.join(dir, name);
  await writeFile(at, content);
  return at;
}

function policyWith(change: (controls: Record<string, Record<string, unknown>>) => void): string {
  const doc = structuredClone(baseline);
  change(doc.controls);
  return JSON.stringify(doc, null, 2);
}

/** An audit of the demo snapshot that would write a report if it ran. */
async function audit(extra: readonly string[]): Promise<{ run: CliRun; report: string }> {
  const report = path.join(await tempDir(), 'report.json');
  const run = await runCli([
    'audit',
    '--snapshot',
    DEMO_TENANT_DIR,
    '--fail-on',
    'none',
    '--report-json',
    report,
    ...extra,
  ]);
  return { run, report };
}

async function exists(at: string): Promise<boolean> {
  return readFile(at).then(
    () => true,
    () => false,
  );
}

describe('strict policies', () => {
  it('a repeated key names both places and the pointer', async () => {
    const at = await file(
      'dup.json',
      '{\n  "id": "dup",\n  "title": "t",\n  "version": "1",\n  "controls": {\n    "mfa.registration": { "enabled": true, "enabled": false }\n  }\n}\n',
    );
    expectOneLine(
      await runCli(['validate-policy', at]),
      `${at}:6:44: /controls/mfa.registration/enabled: duplicate key "enabled" (first at line 6, column 27); JSON keeps only the last, so remove one`,
    );
  });

  it('a policy that enables no control is refused, by validate-policy and by audit (no report written)', async () => {
    const at = await file('none.json', '{"id":"none","title":"t","version":"1","controls":{}}');
    const validated = await runCli(['validate-policy', at]);
    expect(validated.code).toBe(2);
    expect(errorLines(validated)).toEqual([
      `mailwarden: ${at}: policy is invalid (1 problem)`,
      `  ${at}:1: /controls: the policy enables no control, so a run would audit nothing; set "enabled": true on at least one (docs/controls.md lists them)`,
    ]);
    const off = await file(
      'off.json',
      policyWith((c) => {
        for (const entry of Object.values(c)) entry.enabled = false;
      }),
    );
    const { run, report } = await audit(['--policy', off]);
    expect(run.code).toBe(2);
    expect(errorLines(run)[1]).toMatch(/\/controls: the policy enables no control/);
    expect(await exists(report)).toBe(false);
  });

  it('--only or DNS-only leaving no control is refused, naming why', async () => {
    const mfaOnly = await file(
      'mfa.json',
      policyWith((c) => {
        for (const [id, entry] of Object.entries(c)) entry.enabled = id.startsWith('mfa.');
      }),
    );
    const { run, report } = await audit(['--policy', mfaOnly, '--only', 'email-auth']);
    expectOneLine(
      run,
      `${mfaOnly} enables 3 controls, but none in the areas asked for (email-auth); nothing would be audited`,
    );
    expect(await exists(report)).toBe(false);
    const dnsOnly = await runCli([
      'audit',
      '--domains',
      'contoso.example',
      '--dns-server',
      '127.0.0.1:9',
      '--policy',
      mfaOnly,
    ]);
    expectOneLine(
      dnsOnly,
      `${mfaOnly} enables 3 controls, but none in email-auth, the only area a DNS-only audit (domains without a tenant) can judge`,
    );
  });

  it('nesting past the limit is exit 2 naming line and column, not a stack overflow', async () => {
    const at = await file(
      'deep.json',
      `{"id":"n","title":"t","version":"1","controls":{},"description":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    );
    expectOneLine(
      await runCli(['validate-policy', at]),
      `${at}:1:128: nested deeper than 64 levels of objects and arrays`,
    );
  });

  it('parameters are checked when the policy loads: CIDR blocks, host names, country codes, object IDs', async () => {
    const at = await file(
      'params.json',
      policyWith((c) => {
        (c['sign-ins.impossible-travel'] ?? {}).egressCidrs = ['999.999.1.1/99', '198.51.100.0/24'];
        (c['spf.authorizes-m365'] ?? {}).microsoftSpfDomain = '';
        (c['sign-ins.countries'] ?? {}).allowedCountries = ['US', 'UK'];
        (c['mfa.enforcement'] ?? {}).allowedExclusions = ['break-glass'];
      }),
    );
    const { run, report } = await audit(['--policy', at]);
    expect(run.code).toBe(2);
    const lines = errorLines(run);
    expect(lines[0]).toBe(`mailwarden: ${at}: policy does not match policies/policy.schema.json (4 problems)`);
    expect(lines.slice(1).map((l) => l.replace(/^ {2}.*?:\d+: /, ''))).toEqual(
      expect.arrayContaining([
        '/controls/sign-ins.impossible-travel/egressCidrs/0: "999.999.1.1/99" is not an IPv4 or IPv6 CIDR block such as 198.51.100.0/24',
        '/controls/spf.authorizes-m365/microsoftSpfDomain: must not be empty',
        '/controls/sign-ins.countries/allowedCountries/1: "UK" is not an ISO 3166-1 alpha-2 country code such as US or GB',
        '/controls/mfa.enforcement/allowedExclusions/0: "break-glass" is not an object ID (a GUID)',
      ]),
    );
    expect(await exists(report)).toBe(false);
  });

  it('the policy is read as bytes: invalid UTF-8 is exit 2 naming line and column; the hash and the pack copy are the file', async () => {
    const text = policyWith(() => undefined);
    const bad = await file(
      'bad.json',
      Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(40))]),
    );
    const before = text.slice(0, 40);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    expectOneLine(
      await runCli(['validate-policy', bad]),
      `${bad}:${line}:${column}: the policy file is not valid UTF-8 (byte 0xFF); save it as UTF-8`,
    );
    // A valid file with a byte-order mark and CRLF line ends: hashed and copied byte for byte.
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replaceAll('\n', '\r\n'))]);
    const good = await file('good.json', bytes);
    const pack = path.join(await tempDir(), 'pack');
    const { run: packed, report } = await audit(['--policy', good, '--evidence-dir', pack]);
    expect(packed.code, packed.stderr).toBe(0);
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect((JSON.parse(await readFile(report, 'utf8')) as { policy: { sha256: string } }).policy.sha256).toBe(sha);
    expect(Buffer.compare(await readFile(path.join(pack, 'policy.json')), bytes)).toBe(0);
  });

  it('a policy larger than 5 MB, a device that never ends, or a folder is refused before it is read', async () => {
    const big = await file(
      'big.json',
      `{"id":"b","title":"t","version":"1","controls":{},"description":"${'x'.repeat(5 * 1024 * 1024)}"}`,
    );
    expectOneLine(
      await runCli(['validate-policy', big]),
      `${big}: the policy file is larger than 5 MB; refusing to read it`,
    );
    expectOneLine(
      await runCli(['validate-policy', '/dev/zero']),
      '/dev/zero: the policy file is larger than 5 MB; refusing to read it',
    );
    const dir = await tempDir();
    expectOneLine(await runCli(['validate-policy', dir]), `${dir}: is a folder, not a policy file`);
  });
});

describe('outputs: a path that cannot be written is a mistake found before the audit runs', () => {
  it('--evidence-dir naming a file', async () => {
    const at = await file('a-file', 'x');
    const { run, report } = await audit(['--evidence-dir', at]);
    expectOneLine(run, `${at}: cannot write the evidence pack there: it is a file, not a folder`);
    expect(await exists(report)).toBe(false);
  });

  it('--report-json /proc/version (a file no write can go to)', async () => {
    const run = await runCli(['audit', '--snapshot', DEMO_TENANT_DIR, '--report-json', '/proc/version']);
    expectOneLine(run, '/proc/version: cannot write the JSON report there: EIO: i/o error, write');
    // Found before the snapshot is read: no other line but the policy's.
    expect(run.stderr).not.toContain('Reading snapshot folder');
  });

  it('--sarif naming a folder, --summary-md under a file, --save-snapshot naming a file', async () => {
    const dir = await tempDir();
    const at = await file('plain', 'x');
    expectOneLine(
      (await audit(['--sarif', dir])).run,
      `${dir}: cannot write the SARIF file there: it is a folder, not a file`,
    );
    expectOneLine(
      (await audit(['--summary-md', path.join(at, 'summary.md')])).run,
      `${path.join(at, 'summary.md')}: cannot write the Markdown summary there: ENOTDIR: not a directory, stat '${path.join(at, 'summary.md')}'`,
    );
    expectOneLine(
      (await audit(['--save-snapshot', at])).run,
      `${at}: cannot write the snapshot there: it is a file, not a folder`,
    );
    const deep = path.join(dir, 'new', 'folders', 'report.json');
    // A folder that does not exist yet under a writable one is made, as before.
    const { run } = await audit(['--summary-md', deep]);
    expect(run.code, run.stderr).toBe(0);
    expect(await exists(deep)).toBe(true);
  });
});

describe('--help after every command', () => {
  const commands = [
    ...new Set(
      USAGE.slice(USAGE.indexOf('Commands:'), USAGE.indexOf('audit options:'))
        .split('\n')
        .slice(1)
        .map((line) => /^ {2}([a-z-]+) /.exec(line)?.[1])
        .filter((name) => name !== undefined),
    ),
  ];

  it('covers every command the usage lists', () => {
    expect(commands).toEqual([
      'init',
      'audit',
      'validate-policy',
      'controls',
      'merge-reports',
      'verify-evidence',
      'simulate',
      'accept',
    ]);
  });

  for (const command of commands) {
    it(`${command} --help prints its usage and exits 0, whatever else is on the line`, async () => {
      for (const args of [
        [command, '--help'],
        [command, '--colour', '-h'],
      ]) {
        const run = await runCli(args);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stderr).toBe('');
        expect(run.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: mailwarden ${command}\\b`));
        expect(run.stdout).toContain('Exit codes:');
      }
    });
  }
});

describe('secrets shorter than 8 characters are refused; masking never garbles ordinary words', () => {
  it('--client-secret x, GITHUB_TOKEN and the redaction key: exit 2, one line, no network call', async () => {
    const tenant = [
      'audit',
      '--tenant-id',
      'contoso.onmicrosoft.com',
      '--client-id',
      '11111111-2222-4333-8444-555555555555',
    ];
    // The authority is a closed loopback port: had the run tried to sign in, the error would differ.
    const closed = [
      '--authority-url',
      'https://127.0.0.1:9',
      '--graph-url',
      'https://127.0.0.1:9',
      '--exchange-url',
      'https://127.0.0.1:9',
    ];
    expectOneLine(
      await runCli([...tenant, ...closed, '--client-secret', 'x']),
      '--client-secret: 1 character is not a plausible client secret (at least 8); check the value',
    );
    expectOneLine(
      await runCli(['audit', '--snapshot', DEMO_TENANT_DIR, '--issues', 'dry-run', '--repo', 'o/r'], {
        env: { GITHUB_TOKEN: 'abc' },
      }),
      'GITHUB_TOKEN: 3 characters is not a plausible GitHub token (at least 8); check the value',
    );
    expectOneLine(
      await runCli(['audit', '--snapshot', DEMO_TENANT_DIR], { env: { MAILWARDEN_REDACT_KEY: 'k' } }),
      'MAILWARDEN_REDACT_KEY: 1 character is not a plausible redaction key (at least 8); check the value',
    );
  });

  it('the Action refuses a short client-secret or github-token input', () => {
    const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';
    expect(
      configurationError(() =>
        readInputs(
          inputs({
            'tenant-id': 'contoso.onmicrosoft.com',
            'client-id': '11111111-2222-4333-8444-555555555555',
            'client-secret': 'x',
          }),
          '/ws',
        ),
      ).message,
    ).toBe('Input "client-secret": 1 character is not a plausible client secret (at least 8); check the value');
    expect(
      configurationError(() => readInputs(inputs({ snapshot: 'snap', 'github-token': 'tok' }), '/ws')).message,
    ).toBe('Input "github-token": 3 characters is not a plausible GitHub token (at least 8); check the value');
  });

  it('the log masks a secret wherever it appears, and nothing else', () => {
    let err = '';
    const logger = cliLogger(
      {
        stdout: () => undefined,
        stderr: (t) => {
          err += t;
        },
        isTty: false,
        env: {},
        now: () => new Date(),
      },
      false,
    );
    logger.secret('x');
    logger.secret('a-real-client-secret-value');
    logger.info('Collected exo.transportConfig: ok with a-real-client-secret-value inside');
    expect(err).toBe('Collected exo.transportConfig: ok with *** inside\n');
    // A PEM: every base64 line is masked, its armour lines and a short tail are not.
    expect(
      maskedParts('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nAbC=\n-----END PRIVATE KEY-----\n'),
    ).toEqual(['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC']);
  });
});
