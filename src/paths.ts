import { fileURLToPath } from 'node:url';

/*
 * Files shipped beside the code. This module sits directly under src/, and the bundles sit
 * directly under dist/, so the same relative URL resolves in tests and in the Action.
 */

/** The policy used when none is given. */
export const BASELINE_POLICY_PATH = fileURLToPath(new URL('../policies/baseline.json', import.meta.url));

/** The built-in demo tenant, Contoso Health. */
export const DEMO_TENANT_DIR = fileURLToPath(new URL('../demo/contoso-health', import.meta.url));

/** The policy the demo runs under: every control on. */
export const DEMO_POLICY_PATH = fileURLToPath(new URL('../demo/demo-policy.json', import.meta.url));

/**
 * Where a repository keeps its policy: the file `mailwarden init` writes (a copy of the
 * baseline), and the path SARIF and issues name when a run used the bundled baseline.
 */
export const POLICY_IN_REPOSITORY = '.mailwarden/policy.json';

/** Where `mailwarden init` writes the example workflow. */
export const WORKFLOW_IN_REPOSITORY = '.github/workflows/mailwarden.yml';
