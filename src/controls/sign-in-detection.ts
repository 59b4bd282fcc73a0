import { LEGACY_CLIENT_APPS } from '../snapshot/sign-in-client-apps.js';
import type { ControlDefinition, ParameterDefinition } from './control.js';
import { stringSetParameter } from './parameter-schemas.js';
import { SIGN_IN_WINDOW_PARAMETERS } from './sign-in-window.js';

/*
 * Controls judged from the sign-in log and Identity Protection: each is a detector
 * that folds over the streamed sign-ins, except risky users, which reads a snapshot. Their
 * family files (legacy-auth.ts, sign-ins.ts) list them.
 */

const LOG_IN_MONITORING = '164.308(a)(5)(ii)(C)';

/** `legacy-auth.sign-ins`, listed in the legacy-auth family. */
export const legacySignInsControl: ControlDefinition = {
  id: 'legacy-auth.sign-ins',
  version: 1,
  area: 'legacy-auth',
  title: 'Successful sign-ins over legacy protocols',
  statement:
    'No user SHALL sign in successfully over a legacy authentication protocol (IMAP4, POP3, authenticated SMTP, Exchange ActiveSync, MAPI, EWS, AutoDiscover, Outlook Anywhere, Exchange Online PowerShell, Offline Address Book or other clients) within the look-back window.',
  rationale:
    'Legacy protocols cannot answer an MFA challenge, so a stolen password alone opens the mailbox through them; password spray and credential stuffing target them for that reason. A policy that is meant to block them proves nothing until the sign-in log shows that nobody got through.',
  defaultSeverity: 'high',
  sources: ['graph.signIns'],
  optionalSources: ['graph.users'],
  targets: { kind: 'tenant', sources: ['graph.signIns'] },
  parameters: {
    ...SIGN_IN_WINDOW_PARAMETERS,
    legacyClientApps: stringSetParameter(
      'The `clientAppUsed` values counted as legacy authentication, compared without regard to case. `Browser` and `Mobile Apps and Desktop clients` are modern; any other value is counted as unknown and skipped.',
      [...LEGACY_CLIENT_APPS],
    ),
  },
  references: {
    scuba: ['MS.AAD.1.1v1'],
    cis: ['5.2.2.3'],
    hipaa: ['164.308(a)(5)(ii)(C)', '164.312(d)'],
    nist: ['IA-2(1)', 'AC-17', 'SI-4'],
  },
  remediation:
    'Block legacy authentication with a Conditional Access policy (Entra admin centre > Protection > Conditional Access: all users, all resources, client apps "Exchange ActiveSync clients" and "Other clients", Block), disable the protocols per mailbox (Set-CASMailbox -ImapEnabled $false -PopEnabled $false -ActiveSyncEnabled $false) and turn off SMTP AUTH (Set-TransportConfig -SmtpClientAuthenticationDisabled $true). Reset the password of each listed user whose sign-in was not expected.',
  limitations:
    'Reads interactive sign-ins from Graph v1.0 (non-interactive sign-ins are only in beta). Needs Microsoft Entra ID P1. A `clientAppUsed` value Microsoft adds later is counted as unknown until it is added to legacyClientApps.',
  enabledByDefault: true,
};

/** An Entra object ID (a user's, an app's, a device's): the form the sign-in log names them in. */
const objectIds = (description: string): ParameterDefinition => ({
  schema: {
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    uniqueItems: true,
    default: [],
    description,
  },
});

/** The sign-in anomaly controls, listed in the sign-ins family. */
export const signInDetectionControls: readonly ControlDefinition[] = [
  {
    id: 'sign-ins.risky-users',
    version: 1,
    area: 'sign-ins',
    title: 'Users at risk in Identity Protection',
    statement:
      'No user SHALL remain at risk (riskState atRisk or confirmedCompromised) at or above the policy risk level; each SHALL be investigated and remediated or dismissed.',
    rationale:
      "Identity Protection scores leaked credentials, anonymous IPs, unfamiliar sign-in properties and token anomalies. A user left at high risk is an account that Microsoft already believes is in an attacker's hands; CIS keeps reviewing this report as a manual weekly task, which in practice means nobody does.",
    defaultSeverity: 'high',
    sources: ['graph.riskyUsers', 'graph.riskDetections'],
    targets: { kind: 'tenant', sources: ['graph.riskyUsers'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      minRiskLevel: {
        schema: {
          type: 'string',
          enum: ['low', 'medium', 'high'],
          default: 'medium',
          description:
            'Lowest `riskLevel` reported. A `hidden` level (risk detail needs P2) counts as meeting it, so the control fails closed. Confirmed-compromised users are raised to critical.',
        },
      },
    },
    references: {
      scuba: ['MS.AAD.2.1v1', 'MS.AAD.2.2v1'],
      cis: ['5.2.2.6'],
      hipaa: [LOG_IN_MONITORING, '164.308(a)(6)(ii)'],
      nist: ['SI-4', 'IR-4', 'AC-2(12)'],
    },
    remediation:
      'Entra admin centre > Protection > Identity Protection > Risky users: investigate each listed user, reset the password and revoke sessions (Revoke-MgUserSignInSession) if compromised, then "Confirm user compromised" or "Dismiss user risk". Require a secure password change for high user risk with a Conditional Access user-risk policy.',
    limitations:
      'Needs Microsoft Entra ID P2; without it the control is not evaluable. Identity Protection scores risk with a delay (offline detections can take hours), so a very recent compromise may appear only on the next run.',
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.countries',
    version: 1,
    area: 'sign-ins',
    title: 'Successful sign-ins from unexpected countries',
    statement:
      'Users SHOULD sign in successfully only from the countries the policy lists (ISO 3166-1 alpha-2); each success from another country SHALL be reviewed.',
    rationale:
      "Most account takeovers are used from the attacker's own infrastructure abroad. An organisation that works from a few countries can treat a success from anywhere else as an incident to confirm with the user, the same night rather than weeks later.",
    defaultSeverity: 'medium',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      allowedCountries: {
        schema: {
          type: 'array',
          items: { type: 'string', format: 'iso-3166-alpha-2' },
          uniqueItems: true,
          default: [],
          description:
            'ISO 3166-1 alpha-2 codes of the countries users may sign in from, as Entra reports them in `location.countryOrRegion` (e.g. ["US", "CA"]). While the list is empty the control is not evaluable.',
        },
      },
    },
    references: {
      hipaa: [LOG_IN_MONITORING, '164.308(a)(1)(ii)(D)'],
      nist: ['AC-2(12)', 'SI-4', 'AU-6'],
    },
    remediation:
      'Confirm each listed sign-in with the user. If it was not theirs: reset the password, revoke sessions (Revoke-MgUserSignInSession) and review inbox rules and forwarding. To stop them, create a Conditional Access policy that blocks all locations except a named location with the allowed countries.',
    limitations:
      "Countries come from Microsoft's IP geolocation, which is wrong for some mobile and satellite networks and for VPN users; travelling staff will appear and can be excepted in the policy until a date. Failed sign-ins are not judged here.",
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.impossible-travel',
    version: 1,
    area: 'sign-ins',
    title: 'Impossible travel between successive sign-ins',
    statement:
      'Two successive successful sign-ins of one user SHALL NOT imply a ground speed above the policy maximum (great-circle distance over elapsed time), except from listed egress ranges.',
    rationale:
      'A user cannot be in two distant places within minutes; when the sign-in log says so, one of the two sessions is usually someone else holding the password or a stolen session token.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      maxSpeedKmh: {
        schema: {
          type: 'number',
          minimum: 100,
          maximum: 20000,
          default: 900,
          description:
            "Highest plausible speed in km/h between successive sign-ins; 900 is about a jet airliner's cruising speed.",
        },
      },
      minDistanceKm: {
        schema: {
          type: 'number',
          minimum: 5,
          maximum: 5000,
          default: 200,
          description:
            "Sign-in pairs closer than this many km are never flagged, because IP geolocation places neighbouring cities, or one city's mobile networks, tens of km apart.",
        },
      },
      egressCidrs: {
        schema: {
          type: 'array',
          items: { type: 'string', format: 'cidr' },
          uniqueItems: true,
          default: [],
          description:
            'IPv4 and IPv6 CIDR blocks of the organisation\'s VPN, proxy and cloud egress (e.g. "198.51.100.0/24", "2001:db8:10::/48"). Sign-ins from them are ignored, since their location is the gateway\'s, not the user\'s.',
        },
      },
    },
    references: {
      hipaa: [LOG_IN_MONITORING],
      nist: ['AC-2(12)', 'SI-4'],
    },
    remediation:
      "Ask the user about both sign-ins. If one was not theirs: reset the password, revoke sessions (Revoke-MgUserSignInSession), require MFA re-registration and review inbox rules. Add the organisation's VPN egress to egressCidrs, and consider a Conditional Access sign-in risk policy.",
    limitations:
      "Uses Microsoft's IP geolocation (`location.geoCoordinates`), so proxies and mobile carriers outside egressCidrs can look like travel. Only successful interactive sign-ins are compared. A user with more than 64 distinct places in the window has the oldest hops judged before all events are read.",
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.password-spray',
    version: 1,
    area: 'sign-ins',
    title: 'Password spray from one source',
    statement:
      'No single source (IP address, or its IPv4 /24 or IPv6 /64) SHALL have failed password sign-ins against at least the policy number of distinct users within the policy window.',
    rationale:
      'Password spray tries a few common passwords against many accounts to stay under lockout thresholds; per account it looks like a mistyped password, so it is only visible when failures are grouped by where they come from. A success from the same source means a password was guessed.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      minUsers: {
        schema: {
          type: 'integer',
          minimum: 2,
          default: 10,
          description:
            'Distinct users with a failed password from one source, within windowMinutes, that make a spray.',
        },
      },
      windowMinutes: {
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 1440,
          default: 60,
          description: 'Length of the sliding window in which the distinct users are counted.',
        },
      },
      errorCodes: {
        schema: {
          type: 'array',
          items: { type: 'integer' },
          uniqueItems: true,
          default: [50126, 50053, 50055],
          description:
            'Sign-in error codes that count as a failed password: 50126 invalid user name or password, 50053 account locked or sign-in from a malicious IP, 50055 expired password.',
        },
      },
      groupBy: {
        schema: {
          type: 'string',
          enum: ['prefix', 'ip'],
          default: 'prefix',
          description:
            "Group failures by network (`prefix`: IPv4 /24, IPv6 /64, as sprayers rotate addresses within a block) or by exact address (`ip`). The finding's target is the prefix or the address.",
        },
      },
    },
    references: {
      hipaa: [LOG_IN_MONITORING],
      nist: ['AC-7', 'SI-4'],
    },
    remediation:
      'Block the source with a Conditional Access named location or at the network edge, reset the passwords of the listed users (first any that signed in successfully from the source), and check that smart lockout and banned passwords (Entra admin centre > Protection > Authentication methods > Password protection) are on.',
    limitations:
      'Sprays spread over many networks (botnets) stay below the per-source threshold. Shared egress such as a busy office NAT can reach it on a bad morning; add an exception for that prefix. A source with more than 32 successes in the window keeps only the newest for the critical check.',
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.mfa-fatigue',
    version: 1,
    area: 'sign-ins',
    title: 'MFA fatigue (push bombing)',
    statement:
      'No user SHALL receive at least the policy number of denied or unanswered MFA requests within the policy window without the burst being investigated.',
    rationale:
      'An attacker who has the password can send push after push until the user approves one to make it stop, as in the 2022 Uber and Cisco breaches. A burst of denials means the password is already known; a success right after means the attacker got in.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      minDenials: {
        schema: {
          type: 'integer',
          minimum: 2,
          default: 5,
          description: 'MFA denials or timeouts for one user, within windowMinutes, that make a burst.',
        },
      },
      windowMinutes: {
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 1440,
          default: 60,
          description: 'Length of the sliding window in which the denials are counted.',
        },
      },
      successWithinMinutes: {
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 1440,
          default: 15,
          description:
            'A successful sign-in during the burst or up to this many minutes after it raises the finding to critical.',
        },
      },
      errorCodes: {
        schema: {
          type: 'array',
          items: { type: 'integer' },
          uniqueItems: true,
          default: [500121],
          description:
            'Sign-in error codes that count as an MFA denial or timeout. 500121 ("Authentication failed during strong authentication request") covers a declined push, a "Not me" report and an unanswered request.',
        },
      },
    },
    references: {
      cis: ['5.2.3.1'],
      hipaa: [LOG_IN_MONITORING],
      nist: ['IA-2(1)', 'SI-4'],
    },
    remediation:
      "Reset the user's password (the attacker knows it) and revoke sessions (Revoke-MgUserSignInSession). Turn on number matching and additional context in Microsoft Authenticator (Entra admin centre > Protection > Authentication methods > Microsoft Authenticator), or move the user to phishing-resistant methods.",
    limitations:
      "Relies on the sign-in log's error code; a request the user simply ignored without the session timing out may not be logged. Only interactive sign-ins are read.",
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.break-glass',
    version: 1,
    area: 'sign-ins',
    title: 'Sign-ins by break-glass accounts',
    statement:
      'No account the policy lists as a break-glass (emergency access) account SHALL sign in, successfully or not, within the look-back window without the sign-in being reviewed.',
    rationale:
      'Emergency access accounts hold Global Administrator, are often left out of Conditional Access and exist to be unused: Microsoft asks for an alert on every sign-in by them, since each one is a drill, an outage or misuse, and only a person can tell which. A failed sign-in means someone is trying the password of the most powerful account in the tenant.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    // One result per listed account, judged from the log.
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      breakGlassAccounts: objectIds(
        "Object IDs of the break-glass (emergency access) user accounts, as Entra's sign-in log names them in `userId`: list the same accounts the Conditional Access controls' allowedExclusions name. While the list is empty the control is not evaluable.",
      ),
    },
    references: {
      hipaa: [LOG_IN_MONITORING, '164.312(b)'],
      nist: ['AC-2(12)', 'AU-6', 'SI-4'],
    },
    remediation:
      'Ask who used the account and why (a planned drill, an outage, or neither). If nobody can say: reset its credentials (the FIDO2 key or certificate, and the password), revoke its sessions (Revoke-MgUserSignInSession), review the audit log for what it did, and report the incident. Also alert on these sign-ins as they happen (learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access#monitor-sign-in-and-audit-logs).',
    limitations:
      'Reads interactive sign-ins only (Graph v1.0): a script that refreshes a token of the account shows only in non-interactive sign-ins. Drills every 90 days, as Microsoft recommends, appear here too; accept each with a policy exception that expires.',
    enabledByDefault: true,
  },
  {
    id: 'sign-ins.device-code',
    version: 1,
    area: 'sign-ins',
    title: 'Successful device-code sign-ins',
    statement:
      'No user SHALL sign in successfully through the device-code flow within the look-back window, except to an application or from a device the policy allows.',
    rationale:
      'Device-code phishing (Storm-2372 and the kits that followed it since 2025) asks the victim to type a code at microsoft.com/devicelogin: the victim signs in, with MFA, on the real site, and the attacker receives the tokens. Nothing is stolen that MFA would catch, so the sign-in log is where it shows. Few organisations need the flow outside meeting-room and kiosk devices.',
    defaultSeverity: 'high',
    sources: ['graph.signIns'],
    optionalSources: ['graph.users'],
    targets: { kind: 'tenant', sources: ['graph.signIns'] },
    parameters: {
      ...SIGN_IN_WINDOW_PARAMETERS,
      useBetaSignInLog: {
        schema: {
          type: 'boolean',
          default: false,
          description:
            'Read the sign-in log from Microsoft Graph beta (/beta/auditLogs/signIns) instead of v1.0: only beta says which sign-ins used the device-code flow (`authenticationProtocol`, `originalTransferMethod`). Microsoft does not support beta APIs in production and may change them. The whole run then reads the one log from beta (no extra request); while this is false, the control is not evaluable. If Graph refuses the beta log (HTTP 400, 403, 404, 405, 410 or 501), the run reads it from v1.0 for the other detectors and this control is not evaluable, naming the refusal.',
        },
      },
      allowedApps: objectIds(
        'Application (client) IDs a device-code sign-in may be to, as the sign-in log gives them in `appId` (e.g. the Azure CLI for administrators who use `az login --use-device-code`). A phishing kit can name any public client, so prefer allowedDevices.',
      ),
      allowedDevices: objectIds(
        'Entra device IDs (`deviceDetail.deviceId`) that may sign in with a device code: meeting-room and kiosk devices. An unregistered device has no ID and is never allowed.',
      ),
    },
    references: {
      hipaa: [LOG_IN_MONITORING],
      nist: ['AC-2(12)', 'SI-4', 'IA-2'],
    },
    remediation:
      "Ask each listed user whether they typed a code at microsoft.com/devicelogin. If not, revoke their sessions (Revoke-MgUserSignInSession), which the attacker's refresh token survives otherwise, reset the password and review inbox rules and mail access. Then block the flow with a Conditional Access policy (Conditions > Authentication flows > Device code flow, Grant = Block) that excludes only the devices that need it.",
    limitations:
      'Needs the beta sign-in log (useBetaSignInLog): v1.0 has no field that says a sign-in used the device-code flow, and the control does not guess from others. Reads interactive sign-ins only: tokens the attacker refreshes later show as non-interactive sign-ins. A sign-in whose flow beta leaves empty is counted, and the control then cannot pass.',
    enabledByDefault: false,
  },
];
