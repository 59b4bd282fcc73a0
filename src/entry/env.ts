/**
 * The environment variables mailwarden reads, each named once. The entry points read them;
 * nothing below them looks at the process environment.
 */
export const ENV = {
  /** `OWNER/NAME` of the repository the issues go to (set by Actions; the CLI's default for `--repo`). */
  githubRepository: 'GITHUB_REPOSITORY',
  /** REST API base URL (GitHub Enterprise Server). */
  githubApiUrl: 'GITHUB_API_URL',
  /** The CLI's token for the issues stage (the Action takes the `github-token` input). */
  githubToken: 'GITHUB_TOKEN',
  /** The accept Action's event: its name (`issue_comment`) and the file holding its webhook payload. */
  githubEventName: 'GITHUB_EVENT_NAME',
  githubEventPath: 'GITHUB_EVENT_PATH',
  /** Where the run's page lives, for the report's run URL. */
  githubServerUrl: 'GITHUB_SERVER_URL',
  githubSha: 'GITHUB_SHA',
  githubRunId: 'GITHUB_RUN_ID',
  /** A re-run's attempt number: with the run ID, the incremental state's cache key. */
  githubRunAttempt: 'GITHUB_RUN_ATTEMPT',
  /** The checkout: default folder of the Action's report and SARIF. */
  githubWorkspace: 'GITHUB_WORKSPACE',
  /** The job summary file. */
  githubStepSummary: 'GITHUB_STEP_SUMMARY',
  /**
   * Keys every pseudonym: in issues (without it the tenant ID is the key) and in the CLI's
   * redacted evidence pack (without it a fresh random key per run).
   */
  redactKey: 'MAILWARDEN_REDACT_KEY',
  /**
   * Seals the incremental sign-in state (`--incremental`): it holds user names and addresses, and
   * an Actions cache can be read by anyone who can open a pull request. Falls back to
   * MAILWARDEN_REDACT_KEY.
   */
  stateKey: 'MAILWARDEN_STATE_KEY',
  /** The old name of MAILWARDEN_REDACT_KEY for evidence packs: still read when that is unset; deprecated. */
  deprecatedRedactionKey: 'MAILWARDEN_REDACTION_KEY',
  /** @azure/identity's EnvironmentCredential (CLI): the app and its secret or certificate. */
  azureClientId: 'AZURE_CLIENT_ID',
  azureClientSecret: 'AZURE_CLIENT_SECRET',
  azureClientCertificatePath: 'AZURE_CLIENT_CERTIFICATE_PATH',
  /** Any value turns off colour in the console table (no-color.org). */
  noColor: 'NO_COLOR',
} as const;

/** The environment as the entry points see it: `process.env` in production, a record in tests. */
export type Env = Readonly<Record<string, string | undefined>>;
