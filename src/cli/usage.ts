import { ENV } from '../entry/env.js';
import { AREAS } from '../model/area.js';
import { EXIT } from '../run/exit-codes.js';

/** The help text (`mailwarden help`), printed after a usage error. */
export const USAGE = `Usage: mailwarden <command> [options]

Commands:
  init                      Write a starter policy (.mailwarden/policy.json) and the nightly workflow into a repository
  audit                     Audit a tenant, some domains (DNS only), a snapshot folder or the demo tenant
  validate-policy FILE      Check a policy file and exit (0 valid, 2 invalid)
  controls                  List the control catalog
  merge-reports FILE...     Combine the partial reports of a sharded audit, then write and sync as audit does
  verify-evidence DIR       Check an evidence pack: checksums, then re-evaluate and compare every verdict (0 verified, 1 not)
  simulate                  Serve a snapshot folder as a simulated tenant (Graph, Exchange, login, DNS) on 127.0.0.1
  accept                    Add a policy exception (an accepted risk) to a policy file, as /mailwarden accept does

audit options:
  --policy FILE             Policy file (default: the bundled baseline)
  --demo                    Audit the built-in Contoso Health demo tenant (simulated, over live HTTP)
  --simulate DIR            Serve a snapshot folder as a simulated tenant on loopback and audit it live
                            (--demo and --simulate serve the folder as of now: every time moves by
                            now - capturedAt; --as-captured serves it verbatim, audited as of capturedAt)
  --snapshot DIR            Re-evaluate a saved snapshot folder offline, as of its capturedAt
  --domains LIST            Comma-separated domains: alone, a DNS-only audit of their SPF, DKIM and DMARC
                            (no credentials); with --tenant-id, audited besides the tenant's domains
  --dns-server HOST[:PORT]  DNS server to ask, repeatable; an https:// URL uses DNS-over-HTTPS
                            (default: the nameservers in /etc/resolv.conf)
  --tenant-id ID            Audit this live tenant (GUID or verified domain)
  --client-id ID            App registration (client) ID
  --client-secret SECRET    Authenticate with a client secret
  --certificate FILE        Authenticate with a PEM holding the certificate and its private key
                            (neither: AZURE_* environment credentials, else the Azure CLI login)
  --cloud CLOUD             global (default), usgov (GCC High), dod or china; also with --domains and
                            --simulate (the SPF include and Microsoft-managed domains follow it)
  --graph-url URL           Override the cloud's Microsoft Graph endpoint
  --authority-url URL       Override the cloud's Entra ID authority
  --exchange-url URL        Override the cloud's Exchange Online endpoint
  --deadline MINUTES        One deadline for the whole collection (default 120): what it cuts is error with
                            the span covered, never pass
  --save-snapshot DIR       Save the collected data as a snapshot folder
  --only AREAS              Comma-separated areas: ${AREAS.join(', ')}
  --incremental FILE        Hourly sign-in run (with --only sign-ins): read the log only since the state in
                            FILE, carry the detectors' state on; sealed with MAILWARDEN_STATE_KEY (or
                            MAILWARDEN_REDACT_KEY); a missing or unusable state reads the full look-back
  --shard I/N               Audit slice I of N (--tenant-id, --simulate, --demo): per-mailbox work split by a
                            stable hash, tenant-wide sources by shard 1 only; combine with merge-reports
  --report-json FILE        Write the JSON evidence report
  --summary-md FILE         Write the Markdown summary
  --evidence-dir DIR        Write an evidence pack: report.json, policy.json, snapshot/, SHA256SUMS
  --redact-evidence         Pseudonymise people (addresses, names, IPs) in the pack's snapshot; the key is
                            ${ENV.redactKey}, or a fresh random key per run
  --fail-on LEVEL           Exit 1 on a failing finding at or above: none, low, medium, high, critical (default: high)
  --sarif FILE              Write SARIF 2.1.0 for GitHub code scanning (one result per failing finding)
  --issues MODE             GitHub issues: off (default), dry-run (print the plan, write nothing) or on
  --repo OWNER/NAME         Repository for the issues (default: ${ENV.githubRepository}); token from ${ENV.githubToken}
  --github-api-url URL      REST API of GitHub Enterprise Server, e.g. https://HOST/api/v3 (default: ${ENV.githubApiUrl})
  --labels LIST             Extra comma-separated labels on every finding issue
  --max-new-issues N        New issues per run before the rest go into one rollup issue (default: 20)
  --redact MODE             auto (default: when the repository is public), always or never: pseudonyms for UPNs and IPs
  --tenant-label NAME       Several tenants in one repository: label issues tenant:NAME and sync only those
  --debug                   Show debug logs and stack traces

merge-reports options:
  FILE...                   The partial reports (a missing or duplicate shard is refused), or quoted globs
  --policy FILE             The policy the shards ran (needed with --sarif or --issues; checked by sha256)
  --report-json, --summary-md, --sarif, --fail-on, --debug: as for audit
  --issues, --repo, --github-api-url, --labels, --max-new-issues, --redact, --tenant-label: as for audit;
                            the merged report is synced once, with the dashboard

simulate options:
  --tenant DIR              The snapshot folder to serve (docs/snapshot-format.md)
  --port N                  Graph on N, Exchange on N+1, login on N+2, DNS on N+3, MTA-STS on N+4 (default: free ports)
  --realism FILE            Latency, throttling, licence, permission and fault settings (JSON)
  --realistic               Graph's documented throttling and ~80 ms latency (without --realism)
  --ca-cert-out FILE        Write the login endpoint's TLS certificate (for NODE_EXTRA_CA_CERTS)
  --as-captured             Serve the folder verbatim (default: as of now, every time moved by now - capturedAt)
  --federated-issuer URL    With --federated-subject S: the app's federated identity credential; the login accepts
                            an OIDC token of that issuer (keys read from its discovery document) for that subject only
  --generate                Instead of serving, write a generated tenant: --users N --seed S --out DIR
                            [--sign-ins N (default 20 per user)] [--name NAME] [--domains A,B,C]
                            [--overlay DIR (hand-written records merged in, as for the demo tenant)]

accept options:
  --policy FILE             The policy file to edit in place (kept byte for byte outside the new entry)
  --control ID              The control of the finding
  --target T                The finding's target, exactly as reported (UPN, domain, mailbox/rule ID, IP)
  --until DATE              Last day of the exception, YYYY-MM-DD, or a number of days from today (90d);
                            at most the policy's settings.maxExceptionDays ahead
  --reason TEXT             Why the risk is accepted (at least settings.minExceptionReasonLength characters)
  --approved-by NAME        Who accepted it
  --ticket T                Optional change or risk ticket, e.g. CHG-1234
  An entry for the same control and target is replaced. The file is written only when it still validates.

init options:
  --dir DIR                 The repository to write into (default: the current folder)
  --force                   Overwrite .mailwarden/policy.json and .github/workflows/mailwarden.yml if they exist

controls options:
  --format FORMAT           text (default), markdown, json or schema (the policy JSON Schema)

Exit codes: ${EXIT.done} done, ${EXIT.findings} finding at or above --fail-on, ${EXIT.configuration} configuration error,
${EXIT.nothingAudited} nothing audited (no tenant source read, or no source at all), ${EXIT.issues} the GitHub issues stage
failed or GitHub refused a write (the report is still written; also with --fail-on none).
`;

/** The help of one command (`mailwarden audit --help`): its line of the command list and its options. */
export function commandUsage(command: string): string {
  const lines = USAGE.split('\n');
  const entry = lines.find((line) => line.startsWith(`  ${command} `));
  const synopsis = entry?.trim().split(/\s{2,}/) ?? [command];
  const start = lines.indexOf(`${command} options:`);
  const options: string[] = [];
  if (start !== -1) {
    for (const line of lines.slice(start)) {
      if (line === '') break;
      options.push(line);
    }
  }
  const usage = `Usage: mailwarden ${synopsis[0] ?? command}${options.length > 0 ? ' [options]' : ''}`;
  const exit = lines.slice(lines.findIndex((line) => line.startsWith('Exit codes:')));
  return [
    usage,
    '',
    ...(synopsis[1] ? [synopsis[1], ''] : []),
    ...(options.length > 0 ? [...options, ''] : []),
    ...exit,
  ].join('\n');
}
