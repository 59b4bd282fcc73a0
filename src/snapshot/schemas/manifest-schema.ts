import { CLOUDS } from '../../model/cloud.js';
import type { JsonSchema } from '../../model/json-schema.js';
import { SNAPSHOT_FORMAT_VERSION } from '../manifest.js';
import { SOURCE_IDS } from '../source-id.js';
import { booleanOrNull, integer, object, string, stringOrNull } from './schema-kit.js';

const covered = object(
  'What was read before the source was cut short.',
  {
    records: integer('Records read.'),
    pages: integer('Pages read.'),
    earliest: stringOrNull('Oldest record time read (ISO 8601).'),
    latest: stringOrNull('Newest record time read (ISO 8601).'),
  },
  ['records'],
);

/** The fields of one status beside `status` itself, and which are required. */
const STATUS_FIELDS: Readonly<Record<string, { properties: Record<string, JsonSchema>; required: string[] }>> = {
  ok: {
    properties: {
      count: {
        type: 'integer',
        minimum: 0,
        description: 'Records in its file; required for collections and JSON Lines, so a cut file is seen.',
      },
      graphApi: {
        enum: ['beta'],
        description:
          'The Graph version read when it was not v1.0: `beta` for a sign-in log read from /beta (it then carries `authenticationProtocol` and `originalTransferMethod`).',
      },
      betaRefused: {
        type: 'string',
        minLength: 1,
        description:
          'The policy asked for the beta sign-in log and Graph refused it (what it answered): the log was read from v1.0 instead, and sign-ins.device-code is not evaluable.',
      },
    },
    required: [],
  },
  failed: { properties: { reason: string('Why.'), covered }, required: ['reason'] },
  not_licensed: {
    properties: {
      licence: { enum: ['entra-id-p1', 'entra-id-p2'], description: 'Which licence.' },
      reason: string('What Graph said.'),
    },
    required: ['licence', 'reason'],
  },
  not_permitted: {
    properties: { permission: string('What to grant.'), reason: string('What was refused.') },
    required: ['permission', 'reason'],
  },
};

const sourceStatus: JsonSchema = {
  ...object(
    'How collecting one source ended.',
    {
      status: { enum: Object.keys(STATUS_FIELDS), description: 'ok, failed, not_licensed or not_permitted.' },
      capturedAt: string('When it was read.'),
    },
    ['status'],
  ),
  allOf: Object.entries(STATUS_FIELDS).map(([name, fields]) => ({
    if: { type: 'object', properties: { status: { const: name } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
    then: {
      type: 'object',
      properties: fields.properties,
      ...(fields.required.length > 0 ? { required: fields.required } : {}),
    },
  })),
};

/** `manifest.json` (src/snapshot/manifest.ts). */
export const MANIFEST_SCHEMA: JsonSchema = object(
  'Who was captured, when, by which tool, and how each source ended.',
  {
    formatVersion: { const: SNAPSHOT_FORMAT_VERSION, description: 'The snapshot format version.' },
    tenantId: stringOrNull('Entra tenant ID, or null in DNS-only mode.'),
    clientId: string(
      "The application (client) ID the run authenticated with, when known; apps.mail-access recognises this tool's own app by it.",
    ),
    capturedAt: {
      type: 'string',
      format: 'date-time',
      description: 'When the capture began (ISO 8601); replay judges as of this time, and refuses one in the future.',
    },
    tool: object('The tool that wrote the folder.', { name: string('Its name.'), version: string('Its version.') }, [
      'name',
      'version',
    ]),
    licences: object('Licences present (true), absent (false) or unknown (null).', {
      'entra-id-p1': booleanOrNull('Microsoft Entra ID P1.'),
      'entra-id-p2': booleanOrNull('Microsoft Entra ID P2.'),
    }),
    sources: {
      type: 'object',
      description: 'How each collected source ended.',
      propertyNames: { enum: [...SOURCE_IDS] },
      additionalProperties: sourceStatus,
    },
    domains: { type: 'array', items: { type: 'string' }, description: 'The domains the DNS controls audited.' },
    cloud: {
      enum: [...CLOUDS],
      description:
        'The Microsoft 365 cloud the tenant is in (global, usgov, dod, china); the email checks follow it. Absent in folders written before it was recorded: global.',
    },
    shard: object('The shard this folder covers.', { index: integer('i of i/n.'), count: integer('n of i/n.') }, [
      'index',
      'count',
    ]),
  },
  ['formatVersion', 'tenantId', 'capturedAt', 'tool', 'sources'],
);
