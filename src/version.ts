/** The tool's name and version, recorded in every report and snapshot. */
export const TOOL = { name: 'mailwarden', version: '0.1.0' } as const;
