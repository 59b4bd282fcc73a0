import type { ControlDefinition } from '../controls/control.js';
import type { JsonObject } from '../model/json.js';
import { SEVERITIES } from '../model/severity.js';
import { FRAMEWORK_ID_PATTERNS, FRAMEWORK_NAMES, FRAMEWORKS } from '../controls/framework-ids.js';

export const POLICY_SCHEMA_ID = 'https://mailwarden.dev/schemas/policy.schema.json';

/** Default for how far ahead an exception may expire (one year). */
export const DEFAULT_MAX_EXCEPTION_DAYS = 365;

/**
 * Default for how long an exception's reason must be, in characters: 1, any reason at all, as
 * before the setting existed (a policy that validated must keep validating). The bundled
 * policies ask for 20.
 */
export const DEFAULT_MIN_EXCEPTION_REASON_LENGTH = 1;

const domainList = (description: string): JsonObject => ({
  type: 'array',
  description,
  items: { type: 'string', format: 'hostname', description: 'A domain name, e.g. contoso.com.' },
  uniqueItems: true,
  default: [],
});

function mappingsSchema(): JsonObject {
  const properties: Record<string, JsonObject> = {};
  for (const framework of FRAMEWORKS) {
    properties[framework] = {
      type: 'array',
      description: `${FRAMEWORK_NAMES[framework]} identifiers this control satisfies in this policy.`,
      items: { type: 'string', pattern: FRAMEWORK_ID_PATTERNS[framework] },
      uniqueItems: true,
    };
  }
  return {
    type: 'object',
    description:
      "Framework requirements this policy claims the control satisfies, each cited by the framework's own identifier.",
    properties,
    additionalProperties: false,
  };
}

function controlEntrySchema(control: ControlDefinition): JsonObject {
  const properties: Record<string, JsonObject> = {
    enabled: { type: 'boolean', description: 'Whether this control is evaluated in every run.' },
    severity: {
      enum: [...SEVERITIES],
      description: `Severity of a failure of this control, used for issue labels and --fail-on. The catalog default is ${control.defaultSeverity}.`,
    },
    description: {
      type: 'string',
      description: 'Why the organisation chose this setting, in words an auditor can read.',
    },
    mappings: mappingsSchema(),
  };
  for (const [name, parameter] of Object.entries(control.parameters)) {
    properties[name] = parameter.schema;
  }
  return {
    type: 'object',
    title: control.title,
    description: control.statement,
    properties,
    required: ['enabled'],
    additionalProperties: false,
  };
}

/**
 * The policy file's JSON Schema (2020-12), generated from the control catalog so that each
 * control's parameters are described once. `policies/policy.schema.json` is this output;
 * a test fails when the committed copy is stale.
 */
export function buildPolicySchema(controls: readonly ControlDefinition[]): JsonObject {
  const controlProperties: Record<string, JsonObject> = {};
  for (const control of controls) controlProperties[control.id] = controlEntrySchema(control);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: POLICY_SCHEMA_ID,
    title: 'mailwarden policy',
    description:
      'What an organisation commits to for its Microsoft 365 email security: which controls are evaluated, with which thresholds, on which domains, and which risks it has accepted until when.',
    type: 'object',
    properties: {
      $schema: { type: 'string', description: 'Path or URL of this schema, for editors.' },
      id: {
        type: 'string',
        pattern: '^[a-z0-9][a-z0-9-]*$',
        description: 'Short, stable identifier of this policy, e.g. baseline or hipaa.',
      },
      title: { type: 'string', minLength: 1, description: 'Human-readable name of the policy.' },
      version: {
        type: 'string',
        minLength: 1,
        description: 'Version of this policy document; change it whenever the policy changes.',
      },
      description: {
        type: 'string',
        description: 'What the policy is for and who approved it.',
      },
      extends: {
        type: 'string',
        description: 'Informational: the policy this one was derived from.',
      },
      controls: {
        type: 'object',
        description:
          'The controls this policy evaluates, keyed by control ID. A control not listed here is not evaluated. See docs/controls.md for each control.',
        properties: controlProperties,
        additionalProperties: { type: 'object', description: 'Unknown control IDs are reported separately.' },
      },
      domains: {
        type: 'object',
        description:
          "Which domains the SPF, DKIM and DMARC controls audit, besides the tenant's accepted email domains.",
        properties: {
          include: domainList("Domains to audit in addition to the tenant's accepted email domains."),
          exclude: domainList('Domains never to audit, e.g. domains that are being retired.'),
          parked: domainList(
            'Domains that must never send mail. They are checked for SPF "v=spf1 -all", DMARC p=reject and a null MX.',
          ),
          description: { type: 'string', description: 'Why these domains are listed, for auditors.' },
        },
        additionalProperties: false,
      },
      exceptions: {
        type: 'array',
        description:
          'Accepted risks. Each one turns a failing finding for one control and target into "excepted" until it expires; after that the finding fails again.',
        items: {
          type: 'object',
          properties: {
            control: { type: 'string', description: 'The control ID the exception is for.' },
            target: {
              type: 'string',
              minLength: 1,
              description:
                'The exact target as reported (a UPN, domain, mailbox/rule ID or IP address), compared case-insensitively.',
            },
            reason: { type: 'string', minLength: 1, description: 'Why the risk is accepted.' },
            approvedBy: { type: 'string', minLength: 1, description: 'Who accepted the risk.' },
            expires: {
              type: 'string',
              format: 'date',
              description: 'Last day (UTC, YYYY-MM-DD) the exception applies.',
            },
            ticket: { type: 'string', description: 'Optional change or risk ticket reference.' },
          },
          required: ['control', 'target', 'reason', 'approvedBy', 'expires'],
          additionalProperties: false,
        },
        default: [],
      },
      settings: {
        type: 'object',
        description: 'Settings that apply to the policy as a whole.',
        properties: {
          maxExceptionDays: {
            type: 'integer',
            minimum: 1,
            default: 365,
            description: 'How many days ahead an exception may expire. Longer exceptions are rejected.',
          },
          minExceptionReasonLength: {
            type: 'integer',
            minimum: 1,
            default: DEFAULT_MIN_EXCEPTION_REASON_LENGTH,
            description:
              "How many characters an exception's reason must have at least (after trimming), so each accepted risk says why.",
          },
          description: { type: 'string', description: 'Why these settings were chosen, for auditors.' },
        },
        additionalProperties: false,
      },
    },
    required: ['id', 'title', 'version', 'controls'],
    additionalProperties: false,
  };
}
