import type { JsonSchema } from '../../model/json-schema.js';
import { DNS_RCODES } from '../dns-types.js';
import { integer, object, string } from './schema-kit.js';

/*
 * `dns/answers.json` (src/snapshot/dns-types.ts): the answers by question, and the HTTPS
 * fetches the DNS controls made. A record's `data` has the type its record type implies, so a
 * TXT record holding a number is a shape error naming the file, not an SPF or DMARC verdict.
 */

const record: JsonSchema = {
  ...object(
    'One resource record: the CNAME chain first, then the records of the asked type.',
    {
      name: string('Owner name.'),
      type: string('`A`, `AAAA`, `CNAME`, `MX`, `NS`, `PTR` or `TXT`.'),
      ttl: integer('Time to live, seconds.'),
      data: {
        type: ['string', 'array', 'object'],
        description: 'TXT: the character-strings (an array); MX: `{preference, exchange}`; others: a string.',
      },
    },
    ['name', 'type', 'ttl', 'data'],
  ),
  allOf: [
    {
      if: { type: 'object', properties: { type: { const: 'TXT' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
      then: { type: 'object', properties: { data: { type: 'array', items: { type: 'string' } } } },
    },
    {
      if: { type: 'object', properties: { type: { const: 'MX' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
      then: {
        type: 'object',
        properties: {
          data: {
            type: 'object',
            properties: { preference: { type: 'integer' }, exchange: { type: 'string' } },
            required: ['preference', 'exchange'],
          },
        },
      },
    },
    {
      if: { type: 'object', properties: { type: { enum: ['TXT', 'MX'] } } },
      else: { type: 'object', properties: { data: { type: 'string' } } },
    },
  ],
};

export const DNS_SCHEMA: JsonSchema = object(
  'The DNS answers and HTTPS fetches of the DNS controls (one object).',
  {
    answers: {
      type: 'object',
      description: 'Answers keyed `name/TYPE` (lower-case name without the trailing dot, upper-case type).',
      propertyNames: { pattern: '^(?!.*\\./)[^/A-Z]*/[A-Z0-9]+$' },
      additionalProperties: object(
        'One answer.',
        {
          rcode: {
            enum: [...DNS_RCODES],
            description: 'NOERROR and NXDOMAIN are data; every other code fails closed.',
          },
          records: { type: 'array', description: 'The records.', items: record },
          detail: string('Why the answer is not usable.'),
          server: string('The server that answered.'),
        },
        ['rcode', 'records'],
      ),
    },
    https: {
      type: 'object',
      description: 'HTTPS fetches by URL (MTA-STS policies, RFC 8461 §3.3).',
      propertyNames: { pattern: '^https://' },
      additionalProperties: object(
        'One fetch.',
        {
          status: integer('HTTP status; 0 when no HTTP answer came.'),
          contentType: string('Content-Type.'),
          body: string('The body.'),
          error: string('Why no usable answer came.'),
        },
        ['status'],
      ),
    },
  },
  ['answers'],
);
