import { isIp4Network, parseIp6 } from '../model/ip-address.js';
/**
 * SPF record syntax, RFC 7208 §4.6 and §12 (ABNF). Parsing is kept apart from evaluation:
 * `parseSpfRecord` either returns every term or the first syntax error, with its position.
 */

export type SpfQualifier = '+' | '-' | '~' | '?';

export type SpfMechanism =
  | { readonly kind: 'all' }
  | { readonly kind: 'include'; readonly domain: string }
  | { readonly kind: 'a' | 'mx'; readonly domain: string | undefined; readonly cidr4: number; readonly cidr6: number }
  | { readonly kind: 'ptr'; readonly domain: string | undefined }
  | { readonly kind: 'ip4'; readonly address: string; readonly cidr: number }
  | { readonly kind: 'ip6'; readonly address: string; readonly cidr: number }
  | { readonly kind: 'exists'; readonly domain: string };

export interface SpfDirective {
  readonly type: 'directive';
  readonly qualifier: SpfQualifier;
  readonly mechanism: SpfMechanism;
  /** The term as written, for evidence. */
  readonly text: string;
}

export interface SpfModifier {
  readonly type: 'modifier';
  readonly name: string;
  readonly value: string;
  readonly text: string;
}

export type SpfTerm = SpfDirective | SpfModifier;

export interface SpfRecord {
  readonly terms: readonly SpfTerm[];
  readonly directives: readonly SpfDirective[];
  readonly redirect: string | undefined;
  readonly exp: string | undefined;
}

export type SpfParse =
  | { readonly ok: true; readonly record: SpfRecord }
  | { readonly ok: false; readonly error: string; readonly term?: string };

/** §4.5: a record is an SPF record when it starts with "v=spf1" followed by a space or its end. */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1( |$)/i.test(text);
}

const MACRO_LETTERS = 'slodiphcrtv';
const EXP_ONLY_LETTERS = 'crt';

/**
 * Checks a macro-string (§7.1). `exp` allows the c, r and t letters (only in explanation text).
 * Returns an error message or undefined.
 */
export function macroStringError(text: string, inExplanation: boolean): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (text[i] !== '%') {
      // macro-literal = %x21-24 / %x26-7E (explanation text also allows spaces)
      if (c < 0x21 || c > 0x7e) {
        if (!(inExplanation && c === 0x20)) return `invalid character 0x${c.toString(16)} in "${text}"`;
      }
      continue;
    }
    const next = text[i + 1];
    if (next === '%' || next === '_' || next === '-') {
      i++;
      continue;
    }
    if (next !== '{') return `"%" must be followed by "{", "%", "_" or "-" in "${text}"`;
    const close = text.indexOf('}', i);
    if (close < 0) return `unterminated macro in "${text}"`;
    const body = text.slice(i + 2, close);
    const m = /^([a-zA-Z])(\d*)(r?)([.\-+,/_=]*)$/i.exec(body);
    const letter = m?.[1]?.toLowerCase();
    if (!m || letter === undefined || !MACRO_LETTERS.includes(letter)) return `invalid macro "%{${body}}"`;
    if (!inExplanation && EXP_ONLY_LETTERS.includes(letter)) return `macro "%{${body}}" is allowed only in exp text`;
    const digits = m[2] ?? '';
    if (digits !== '' && Number(digits) === 0) return `macro "%{${body}}" keeps zero labels`;
    i = close;
  }
  return undefined;
}

const ALNUM = /^[a-z0-9]+$/i;

/**
 * §7.1 domain-spec = macro-string domain-end; domain-end = ( "." toplabel ["."] ) / macro-expand.
 * toplabel = an alphanumeric label with at least one letter, or one with a hyphen inside.
 */
export function domainSpecError(spec: string): string | undefined {
  if (spec === '') return 'empty domain-spec';
  const macro = macroStringError(spec, false);
  if (macro) return macro;
  // Ends with a macro-expand: the domain-end is the macro.
  if (/%\{[^}]*\}$/.test(spec) || /%[%_-]$/.test(spec)) return undefined;
  const trimmed = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const dot = trimmed.lastIndexOf('.');
  if (dot < 0) return `domain-spec "${spec}" has no top-level label`;
  const top = trimmed.slice(dot + 1);
  const plain = ALNUM.test(top) && /[a-z]/i.test(top);
  const hyphenated = /^[a-z0-9]+-[a-z0-9-]*[a-z0-9]$/i.test(top);
  if (!plain && !hyphenated) return `domain-spec "${spec}" has an invalid top-level label "${top}"`;
  return undefined;
}

/** ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT), at most 32; ip6 at most 128. No leading zeros. */
function cidrValue(text: string, max: number): number | undefined {
  if (!/^(0|[1-9]\d{0,2})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/**
 * Splits a trailing dual-cidr-length off an a/mx argument. Only "/digits" and "//digits" at the
 * end are CIDR lengths: a domain-spec may itself hold "/" (§7.1: any visible character but "%").
 */
function splitDualCidr(text: string): { rest: string; cidr4: number; cidr6: number } | string {
  let rest = text;
  let cidr4 = 32;
  let cidr6 = 128;
  const six = /\/\/(\d*)$/.exec(rest);
  if (six) {
    const v = cidrValue(six[1] ?? '', 128);
    if (v === undefined) return `invalid ip6-cidr-length "//${six[1] ?? ''}"`;
    cidr6 = v;
    rest = rest.slice(0, six.index);
  }
  const four = /\/(\d*)$/.exec(rest);
  if (four) {
    const v = cidrValue(four[1] ?? '', 32);
    if (v === undefined) return `invalid ip4-cidr-length "/${four[1] ?? ''}"`;
    cidr4 = v;
    rest = rest.slice(0, four.index);
  }
  return { rest, cidr4, cidr6 };
}

function parseMechanism(name: string, arg: string | undefined, text: string): SpfMechanism | string {
  switch (name) {
    case 'all':
      if (arg !== undefined) return `"all" takes no argument: "${text}"`;
      return { kind: 'all' };
    case 'include':
    case 'exists': {
      if (arg === undefined || arg === '') return `"${name}" needs a domain: "${text}"`;
      const error = domainSpecError(arg);
      if (error) return error;
      return { kind: name, domain: arg };
    }
    case 'ptr': {
      if (arg === undefined) return { kind: 'ptr', domain: undefined };
      const error = domainSpecError(arg);
      if (error) return error;
      return { kind: 'ptr', domain: arg };
    }
    case 'a':
    case 'mx': {
      // a / mx [ ":" domain-spec ] [ dual-cidr-length ]; the CIDR may follow the name directly.
      const source = arg ?? '';
      const split = splitDualCidr(source === '' && text.includes('/') ? text.slice(text.indexOf('/')) : source);
      if (typeof split === 'string') return split;
      const domain = arg === undefined ? undefined : split.rest;
      if (domain !== undefined) {
        const error = domainSpecError(domain);
        if (error) return error;
      }
      return { kind: name, domain, cidr4: split.cidr4, cidr6: split.cidr6 };
    }
    case 'ip4': {
      if (arg === undefined) return `"ip4" needs an address: "${text}"`;
      const slash = arg.indexOf('/');
      const address = slash < 0 ? arg : arg.slice(0, slash);
      const cidr = slash < 0 ? 32 : cidrValue(arg.slice(slash + 1), 32);
      if (!isIp4Network(address)) return `invalid ip4-network "${address}"`;
      if (cidr === undefined) return `invalid ip4-cidr-length in "${text}"`;
      return { kind: 'ip4', address, cidr };
    }
    case 'ip6': {
      if (arg === undefined) return `"ip6" needs an address: "${text}"`;
      const slash = arg.indexOf('/');
      const address = slash < 0 ? arg : arg.slice(0, slash);
      const cidr = slash < 0 ? 128 : cidrValue(arg.slice(slash + 1), 128);
      if (!isIp6(address)) return `invalid ip6-network "${address}"`;
      if (cidr === undefined) return `invalid ip6-cidr-length in "${text}"`;
      return { kind: 'ip6', address, cidr };
    }
    default:
      return `unknown mechanism "${name}"`;
  }
}

function isIp6(text: string): boolean {
  return /^[0-9a-f:.]+$/i.test(text) && text.includes(':') && parseIp6(text) !== undefined;
}

/** Parses a whole record (§4.6.1): version, then terms separated by one or more spaces. */
export function parseSpfRecord(text: string): SpfParse {
  if (!isSpfRecord(text)) return { ok: false, error: 'the record does not start with "v=spf1"' };
  const terms: SpfTerm[] = [];
  let redirect: string | undefined;
  let exp: string | undefined;
  const body = text.slice(6);
  for (const raw of body.split(' ')) {
    if (raw === '') continue;
    // Modifier: name "=" macro-string (the name cannot hold ":" or "/").
    const modifier = /^([a-z][a-z0-9\-_.]*)=(.*)$/i.exec(raw);
    if (modifier) {
      const name = (modifier[1] ?? '').toLowerCase();
      const value = modifier[2] ?? '';
      if (name === 'redirect' || name === 'exp') {
        const error = domainSpecError(value);
        if (error) return { ok: false, error: `${name}: ${error}`, term: raw };
        // §6: redirect and exp may each appear at most once.
        if ((name === 'redirect' && redirect !== undefined) || (name === 'exp' && exp !== undefined)) {
          return { ok: false, error: `"${name}" appears more than once`, term: raw };
        }
        if (name === 'redirect') redirect = value;
        else exp = value;
      } else {
        const error = macroStringError(value, false);
        if (error) return { ok: false, error: `modifier ${name}: ${error}`, term: raw };
      }
      terms.push({ type: 'modifier', name, value, text: raw });
      continue;
    }
    let rest = raw;
    let qualifier: SpfQualifier = '+';
    if ('+-~?'.includes(rest[0] ?? '')) {
      qualifier = rest[0] as SpfQualifier;
      rest = rest.slice(1);
    }
    const match = /^([a-z][a-z0-9\-_.]*)(?:([:/])(.*))?$/i.exec(rest);
    if (!match) return { ok: false, error: `invalid term "${raw}"`, term: raw };
    const name = (match[1] ?? '').toLowerCase();
    let arg: string | undefined;
    if (match[2] === ':') arg = match[3] ?? '';
    else if (match[2] === '/') {
      if (name !== 'a' && name !== 'mx') return { ok: false, error: `invalid term "${raw}"`, term: raw };
      arg = undefined;
    }
    const mechanism = parseMechanism(name, arg, rest);
    if (typeof mechanism === 'string') return { ok: false, error: mechanism, term: raw };
    terms.push({ type: 'directive', qualifier, mechanism, text: raw });
  }
  return {
    ok: true,
    record: {
      terms,
      directives: terms.filter((t): t is SpfDirective => t.type === 'directive'),
      redirect,
      exp,
    },
  };
}
