import { POLICY_IN_REPOSITORY } from '../paths.js';

/**
 * The workflow `mailwarden init` writes, and the README's first example (a test keeps them the
 * same, and actionlint checks it in CI). Least privilege: the workflow grants nothing, the job
 * only what the audit needs (OIDC sign-in, issues, reading the policy from the checkout).
 */
export const INIT_WORKFLOW = `name: mailwarden
on:
  schedule:
    - cron: '17 3 * * *'   # nightly
  workflow_dispatch:
permissions: {}
concurrency:
  group: mailwarden
  cancel-in-progress: false
jobs:
  audit:
    runs-on: ubuntu-latest
    permissions:
      contents: read    # actions/checkout reads the policy
      id-token: write   # GitHub OIDC federation to Entra ID: no stored secret
      issues: write     # open, update and close one issue per finding
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          persist-credentials: false
      - uses: mailwarden/mailwarden@v1
        with:
          policy: ${POLICY_IN_REPOSITORY}
          tenant-id: \${{ vars.M365_TENANT_ID }}
          client-id: \${{ vars.M365_CLIENT_ID }}   # no secret: GitHub OIDC federation
`;
