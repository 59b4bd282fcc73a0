import type { Finding } from '../../../model/finding.js';
import { TENANT_TARGET } from '../../../model/finding.js';
import type { JsonObject } from '../../../model/json.js';
import type { SignIn } from '../../../snapshot/graph-types.js';
import type { CheckInput, Fold } from '../../check.js';
import { cleanFinding, detectorFold, type ScanSummary } from '../detector-fold.js';
import type { EventPage } from '../event-page.js';
import { carriedSignIn } from '../carry/carried-sign-in.js';
import { RowSample, rowFields } from '../evidence-rows.js';

/** Distinct apps or devices kept per user, and allowed ones counted, at most. */
const KEEP = 8;
const COUNTED = 64;

/** A device a device-code sign-in came from, as evidence. */
interface Device extends JsonObject {
  readonly deviceId: string | null;
  readonly displayName: string | null;
  readonly operatingSystem: string | null;
}

/** What the fold keeps per user: rows and a few apps and devices, all plain data (serialisable). */
export interface DeviceCodeUserState {
  readonly rows: RowSample;
  readonly apps: Map<string, string | null>;
  readonly devices: Map<string, Device>;
}

/** `deviceCode` (beta `authenticationProtocol`), compared without regard to case, allocating nothing for other values. */
function isDeviceCodeProtocol(value: unknown): boolean {
  return typeof value === 'string' && value.length === 10 && value.toLowerCase() === 'devicecode';
}

/** `deviceCodeFlow` (beta `originalTransferMethod`): every request of a session the device-code flow began. */
function isDeviceCodeTransfer(value: unknown): boolean {
  return typeof value === 'string' && value.length === 14 && value.toLowerCase() === 'devicecodeflow';
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(map: Map<string, number>, key: string): void {
  const known = map.get(key);
  if (known !== undefined) map.set(key, known + 1);
  else if (map.size < COUNTED) map.set(key, 1);
}

/**
 * The fold of a log that cannot tell device-code sign-ins: it reads nothing and says why. `refused`
 * is what Graph answered when the policy asked for the beta log and the run fell back to v1.0.
 */
function notReadFromBeta(refused: string | undefined): Fold<SignIn> {
  const finding: Finding =
    refused === undefined
      ? {
          target: TENANT_TARGET,
          status: 'not_evaluable',
          message:
            'The sign-in log was read from Graph v1.0, which does not say which sign-ins used the device-code flow; set useBetaSignInLog to read it from beta.',
          evidence: {
            reason: 'v1.0 signIn has no authenticationProtocol or originalTransferMethod',
            parameter: 'useBetaSignInLog',
            graphApi: 'v1.0',
          },
        }
      : {
          target: TENANT_TARGET,
          status: 'not_evaluable',
          message: `The beta sign-in log was refused (${refused}), so the run read the log from Graph v1.0, which does not say which sign-ins used the device-code flow; the other sign-in detectors judged the v1.0 log.`,
          evidence: {
            reason:
              'the beta sign-in log was refused; v1.0 signIn has no authenticationProtocol or originalTransferMethod',
            betaRefused: refused,
            parameter: 'useBetaSignInLog',
            graphApi: 'v1.0',
          },
        };
  return {
    add() {},
    finish: () => [finding],
    coverage: () => ({}),
    // Nothing is read, so nothing is carried: an incremental run over v1.0 stays not evaluable.
    // A refused beta log carries no state at all: the next run reads this run's span again, from
    // beta if it answers then, instead of passing over the device-code sign-ins of this span.
    carried: () => (refused === undefined ? { events: [], minutes: {} } : undefined),
  };
}

/** Event `i` as an incremental run carries it: the row, and the fields this detector reads. */
function carriedEvent(page: EventPage, i: number): SignIn {
  const raw = page.raw[i];
  const device = raw?.deviceDetail;
  return carriedSignIn(rowFields(page, i), {
    userId: raw?.userId ?? null,
    flow: {
      authenticationProtocol: text(raw?.authenticationProtocol),
      originalTransferMethod: text(raw?.originalTransferMethod),
      appId: text(raw?.appId),
      deviceDetail: device
        ? {
            deviceId: text(device.deviceId),
            displayName: text(device.displayName),
            operatingSystem: text(device.operatingSystem),
          }
        : null,
    },
  });
}

/**
 * `sign-ins.device-code`: successful sign-ins through the device-code flow (OAuth 2.0 device
 * authorization grant, RFC 8628), per user, outside the policy's allowed apps and devices. Only
 * the beta sign-in log says which sign-ins used it (`authenticationProtocol: deviceCode`,
 * `originalTransferMethod: deviceCodeFlow`, learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta);
 * nothing is guessed from other fields, and a success whose flow beta left empty keeps the control
 * from passing.
 */
export function deviceCodeFold(input: CheckInput): Fold<SignIn> {
  const status = input.snapshot.status('graph.signIns');
  if (status?.status !== 'ok' || status.graphApi !== 'beta')
    return notReadFromBeta(status?.status === 'ok' ? status.betaRefused : undefined);
  const allowedApps = new Set(input.params.strings('allowedApps').map((a) => a.toLowerCase()));
  const allowedDevices = new Set(input.params.strings('allowedDevices').map((d) => d.toLowerCase()));
  const users = new Map<number, DeviceCodeUserState>();
  const allowedByDevice = new Map<string, number>();
  const allowedByApp = new Map<string, number>();
  let unknownFlow = 0;
  // An incremental run carries every successful device-code sign-in (allowed ones too, for the
  // evidence's counts) and every success of unknown flow.
  const carried: SignIn[] = [];

  return detectorFold(input, (pass, mode) => ({
    add(page: EventPage, i: number) {
      if (page.errorCode[i] !== 0) return undefined;
      const raw = page.raw[i] as SignIn;
      const protocol = raw.authenticationProtocol;
      const transfer = raw.originalTransferMethod;
      if (!isDeviceCodeProtocol(protocol) && !isDeviceCodeTransfer(transfer)) {
        if ((protocol === null || protocol === undefined) && (transfer === null || transfer === undefined)) {
          unknownFlow++;
          if (mode.carrying) carried.push(carriedEvent(page, i));
          return 'unknownFlow';
        }
        return undefined;
      }
      const deviceId = text(raw.deviceDetail?.deviceId);
      const appId = text(raw.appId);
      if (deviceId !== null && allowedDevices.has(deviceId.toLowerCase())) {
        count(allowedByDevice, deviceId.toLowerCase());
        if (mode.carrying) carried.push(carriedEvent(page, i));
        return undefined;
      }
      if (appId !== null && allowedApps.has(appId.toLowerCase())) {
        count(allowedByApp, appId.toLowerCase());
        if (mode.carrying) carried.push(carriedEvent(page, i));
        return undefined;
      }
      const user = page.user[i] ?? 0;
      let state = users.get(user);
      if (!state) {
        state = { rows: new RowSample(), apps: new Map(), devices: new Map() };
        users.set(user, state);
      }
      state.rows.add(page, i);
      if (mode.carrying) carried.push(carriedEvent(page, i));
      if (appId !== null && state.apps.size < KEEP) state.apps.set(appId, text(raw.appDisplayName));
      const deviceKey = deviceId ?? '(not registered)';
      if (state.devices.size < KEEP && !state.devices.has(deviceKey)) {
        state.devices.set(deviceKey, {
          deviceId,
          displayName: text(raw.deviceDetail?.displayName),
          operatingSystem: text(raw.deviceDetail?.operatingSystem),
        });
      }
      return undefined;
    },
    finish(scan: ScanSummary): readonly Finding[] {
      const allowed = {
        byDevice: Object.fromEntries([...allowedByDevice].sort()),
        byApp: Object.fromEntries([...allowedByApp].sort()),
        allowedDevices: [...allowedDevices].sort(),
        allowedApps: [...allowedApps].sort(),
      };
      if (scan.eventsAnalysed + unknownFlow === 0) {
        return [
          {
            target: TENANT_TARGET,
            status: 'error',
            message:
              'No sign-in is in the window, which is far likelier a collection fault than a quiet day: device-code sign-ins cannot be ruled out.',
            evidence: { scan },
          },
        ];
      }
      const findings: Finding[] = [];
      for (const [number, state] of users) {
        const user = pass.userName(number);
        const signIns = state.rows.toJson();
        const apps = [...state.apps].map(([appId, name]) => ({ appId, appDisplayName: name }));
        findings.push({
          target: user,
          status: 'fail',
          message: `${signIns.total} successful device-code sign-in(s) (${apps.map((a) => a.appDisplayName ?? a.appId).join(', ') || 'app not named'}), not from an allowed app or device.`,
          evidence: { user, apps, devices: [...state.devices.values()], signIns, allowed, scan },
        });
      }
      if (unknownFlow > 0) {
        findings.push({
          target: TENANT_TARGET,
          status: 'error',
          message: `${unknownFlow} successful sign-in(s) carry neither authenticationProtocol nor originalTransferMethod, so whether they used the device-code flow is unknown.`,
          evidence: { unknownFlow, scan },
        });
      }
      if (findings.length > 0) return findings;
      return [
        cleanFinding('No successful device-code sign-in outside the allowed apps and devices', scan, { allowed }),
      ];
    },
    carry: () => carried,
  }));
}
