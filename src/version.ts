import packageJson from '../package.json' with { type: 'json' };

/**
 * The tool's name and version, recorded in every report, snapshot manifest and SARIF run.
 * The version has one home, package.json: npm publishes it, and a release tag must equal it
 * (docs/releasing.md). The bundles read it at run time from the package root beside dist/
 * (scripts/build.mjs keeps the import external), as paths.ts finds the policies.
 */
export const TOOL = { name: 'mailwarden', version: packageJson.version } as const;
