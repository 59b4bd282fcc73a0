import { writeFile } from 'node:fs/promises';
import { ConfigurationError } from '../errors.js';
import { decodeUtf8, readInputFile, SMALL_FILE_MAX_BYTES } from '../model/input-file.js';
import type { Logger } from '../logger.js';
import { parseLocatedJson } from '../json/json-locations.js';
import { parseRealism, REALISTIC, type RealismConfig } from './realism.js';
import { type FederatedIdentity, FEDERATED_AUDIENCE, SIMULATOR_CLIENT_ID } from './credentials.js';
import { startSimulator } from './start-simulator.js';

/** `mailwarden simulate --tenant DIR`, as read from the flags by src/cli/simulate.ts. */
export interface SimulateSettings {
  readonly tenantDir: string;
  readonly port?: number;
  /** A realism JSON file (docs/snapshot-format.md#realism). */
  readonly realismPath?: string;
  /** The documented throttling and a log-normal latency, when no file is given. */
  readonly realistic: boolean;
  /** Where to write the login endpoint's certificate, for NODE_EXTRA_CA_CERTS. */
  readonly caCertificateOut?: string;
  /**
   * Serve the folder as of this time (the command's clock); `undefined` with `--as-captured`,
   * which serves it verbatim.
   */
  readonly servedAt: Date | undefined;
  /**
   * The app's federated identity credential (`--federated-issuer`, `--federated-subject`): the
   * login then accepts a GitHub-style OIDC token from that issuer, for that subject only.
   */
  readonly federatedIdentity?: FederatedIdentity;
}

export async function readRealismFile(file: string): Promise<RealismConfig> {
  const text = decodeUtf8(await readInputFile(file, 'realism file', SMALL_FILE_MAX_BYTES), file, 'realism file');
  return parseRealism(parseLocatedJson(text, file).value, file);
}

function signals(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** Serves a snapshot folder until `untilStopped` resolves (by default Ctrl+C or SIGTERM). */
export async function runSimulate(
  settings: SimulateSettings,
  out: (text: string) => void,
  logger: Logger,
  untilStopped: () => Promise<void> = signals,
): Promise<void> {
  let realism: RealismConfig = settings.realistic ? REALISTIC : {};
  if (settings.realismPath !== undefined) realism = await readRealismFile(settings.realismPath);
  const sim = await startSimulator({
    dir: settings.tenantDir,
    port: settings.port,
    realism,
    logger,
    ...(settings.servedAt ? { servedAt: settings.servedAt } : {}),
    ...(settings.federatedIdentity
      ? { credentials: { clientId: SIMULATOR_CLIENT_ID, federatedIdentity: settings.federatedIdentity } }
      : {}),
  }).catch((error: unknown) => {
    throw portInUse(error, settings.port) ?? error;
  });
  try {
    if (settings.caCertificateOut !== undefined) await writeFile(settings.caCertificateOut, sim.caCertificatePem);
    out(
      [
        `Simulated tenant ${sim.tenantId} from ${settings.tenantDir} (127.0.0.1 only)`,
        sim.servedAsOf === sim.capturedAt
          ? `  As captured: ${sim.capturedAt} (--as-captured)`
          : `  As of:      ${sim.servedAsOf} (captured ${sim.capturedAt}; every time moved by the difference)`,
        `  Graph:      ${sim.graphUrl}`,
        `  Exchange:   ${sim.exchangeUrl}/adminapi/beta/${sim.tenantId}/InvokeCommand`,
        `  Authority:  ${sim.authorityUrl}  (TLS certificate: ${settings.caCertificateOut ?? 'pass --ca-cert-out FILE to save it'})`,
        `  DNS:        ${sim.dns.host}:${sim.dns.port} (UDP and TCP)`,
        `  MTA-STS:    https://${sim.policyHttps.host}:${sim.policyHttps.port} for ${sim.policyHttps.hosts.length === 0 ? 'no policy host' : sim.policyHttps.hosts.join(', ')} (same certificate)`,
        `  Client ID:  ${sim.credentials.clientId}  (the demo secret is in docs/snapshot-format.md)`,
        ...(settings.federatedIdentity
          ? [
              `  Federated:  issuer ${settings.federatedIdentity.issuer}, subject ${settings.federatedIdentity.subject}, audience ${FEDERATED_AUDIENCE}`,
            ]
          : []),
        'Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
    await untilStopped();
  } finally {
    const stats = sim.stats();
    await sim.close();
    const total = Object.values(stats.requests).reduce((a, b) => a + b, 0);
    const throttled = Object.values(stats.throttled).reduce((a, b) => a + b, 0);
    out(`Stopped after ${total} requests (${throttled} throttled).\n`);
  }
}

/** A taken `--port` is the user's choice to change, not a bug: one line, exit 2. */
function portInUse(error: unknown, port: number | undefined): ConfigurationError | undefined {
  if (port === undefined || typeof error !== 'object' || error === null) return undefined;
  const { code, port: taken } = error as { code?: unknown; port?: unknown };
  if (code !== 'EADDRINUSE') return undefined;
  return new ConfigurationError(
    `--port ${port}: port ${typeof taken === 'number' ? taken : port} on 127.0.0.1 is in use (the simulator takes ${port} to ${port + 4}); choose another --port, or leave it out for free ports`,
  );
}
