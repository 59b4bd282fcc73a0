import type { ParseArgsConfig } from 'node:util';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { type GenerateOptions, generateTenant } from '../simulator/generator/generate-tenant.js';
import { applyOverlay, overlayTenantId } from '../simulator/generator/overlay.js';
import { runSimulate, type SimulateSettings } from '../simulator/simulate-command.js';
import { count, parse, UsageError } from './args.js';
import { cliLogger } from './cli-logger.js';
import type { CliIo } from './io.js';

const SIMULATE_OPTIONS = {
  tenant: { type: 'string' },
  port: { type: 'string' },
  realism: { type: 'string' },
  realistic: { type: 'boolean' },
  'ca-cert-out': { type: 'string' },
  generate: { type: 'boolean' },
  users: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'sign-ins': { type: 'string' },
  name: { type: 'string' },
  domains: { type: 'string' },
  overlay: { type: 'string' },
  'as-captured': { type: 'boolean' },
  'federated-issuer': { type: 'string' },
  'federated-subject': { type: 'string' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** Reads `simulate --generate` flags. */
export function generateSettings(args: readonly string[]): GenerateOptions & { readonly overlay?: string } {
  const { values } = parse(args, SIMULATE_OPTIONS, 0);
  for (const flag of [
    'tenant',
    'port',
    'realism',
    'realistic',
    'ca-cert-out',
    'as-captured',
    'federated-issuer',
    'federated-subject',
  ] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} cannot be used with --generate`);
  }
  const users = count('users', values.users, 1, 10_000_000);
  const seed = count('seed', values.seed, 0, 4_294_967_295);
  if (users === undefined || seed === undefined || values.out === undefined)
    throw new UsageError('--generate needs --users N, --seed S and --out DIR');
  const domains = values.domains
    ?.split(',')
    .map((d) => d.trim().toLowerCase())
    .filter((d) => d !== '');
  if (domains !== undefined && (domains.length === 0 || domains.some((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)))) {
    throw new UsageError(`--domains: expected comma-separated domain names, got "${values.domains}"`);
  }
  return {
    out: values.out,
    users,
    seed,
    signIns: count('sign-ins', values['sign-ins'], 0, 100_000_000),
    name: values.name,
    domains,
    overlay: values.overlay,
  };
}

/** Reads the simulate flags; the only place they are interpreted. */
export function simulateSettings(args: readonly string[], now: () => Date): SimulateSettings {
  const { values } = parse(args, SIMULATE_OPTIONS, 0);
  for (const flag of ['users', 'seed', 'out', 'sign-ins', 'name', 'domains', 'overlay'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --generate`);
  }
  if (values.tenant === undefined) throw new UsageError('simulate needs --tenant DIR (or --generate)');
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1024 || port > 65531)
      throw new UsageError(`--port: expected a number from 1024 to 65531, got "${values.port}"`);
  }
  if (values.realism !== undefined && values.realistic === true)
    throw new UsageError('--realism and --realistic cannot be used together');
  const issuer = values['federated-issuer'];
  const subject = values['federated-subject'];
  if ((issuer === undefined) !== (subject === undefined))
    throw new UsageError('--federated-issuer and --federated-subject go together');
  if (issuer !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(issuer))
    throw new UsageError(`--federated-issuer: expected an http(s) URL, got "${issuer}"`);
  return {
    tenantDir: values.tenant,
    port,
    ...(issuer !== undefined && subject !== undefined ? { federatedIdentity: { issuer, subject } } : {}),
    realismPath: values.realism,
    realistic: values.realistic === true,
    caCertificateOut: values['ca-cert-out'],
    // A folder is served as of now, so its sign-ins fall in a look-back window ending now.
    servedAt: values['as-captured'] === true ? undefined : now(),
  };
}

/** `mailwarden simulate`: serve a snapshot folder as a simulated tenant, or write a generated one (`--generate`). */
export async function simulateCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  if (args.includes('--generate')) {
    const settings = generateSettings(args);
    const tenantId = settings.overlay !== undefined ? await overlayTenantId(settings.overlay) : undefined;
    const options = tenantId !== undefined && settings.tenantId === undefined ? { ...settings, tenantId } : settings;
    const started = performance.now();
    const summary = await generateTenant(options);
    if (options.overlay !== undefined) await applyOverlay(options.out, options.overlay);
    io.stdout(
      `Wrote ${options.out}: ${summary.users} users, ${summary.mailboxes} mailboxes, ${summary.inboxRules} inbox rules, ${summary.signIns} sign-ins, domains ${summary.domains.join(', ')} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    return EXIT.done;
  }
  const settings = simulateSettings(args, io.now);
  await runSimulate(settings, io.stdout, cliLogger(io, args.includes('--debug')), io.untilStopped);
  return EXIT.done;
}
