/**
 * DMARC policy records: RFC 9989 §4.7 (tags) read compatibly with RFC 7489 §6.3. pct, rf and
 * ri are historic in RFC 9989; we still parse and validate them (RFC 7489 records carry them)
 * and flag them as legacy.
 */

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';

export type DmarcRecordError =
  | 'not-dmarc'
  | 'no-policy'
  | 'bad-value'
  | 'syntax'
  | 'empty'
  | 'multiple-records'
  | 'no-record';

export interface DmarcUri {
  readonly uri: string;
  /** RFC 7489 §6.2 "!size" suffix, e.g. 10m. */
  readonly size_limit?: string;
}

export interface DmarcRecord {
  readonly p: DmarcPolicy;
  /** True when p was missing or invalid but a valid rua made it p=none (RFC 7489 §6.6.3). */
  readonly pImplied: boolean;
  /** sp, defaulting to p. */
  readonly sp: DmarcPolicy;
  readonly spExplicit: boolean;
  /** np (RFC 9989), defaulting to sp. */
  readonly np: DmarcPolicy;
  readonly npExplicit: boolean;
  readonly adkim: 'r' | 's';
  readonly aspf: 'r' | 's';
  readonly fo: readonly string[];
  /** Legacy (RFC 7489), historic in RFC 9989. */
  readonly pct: number;
  readonly pctExplicit: boolean;
  readonly rf: readonly string[];
  readonly ri: number;
  readonly rua: readonly DmarcUri[];
  readonly ruf: readonly DmarcUri[];
  /** rua entries that are not valid URIs, as written. */
  readonly invalidRua: readonly string[];
  /** RFC 9989 psd: y, n or u (absent). */
  readonly psd: 'y' | 'n' | 'u';
  /** RFC 9989 t=y: testing mode. */
  readonly t: boolean;
  /** Legacy tags present in the record (pct, rf, ri). */
  readonly legacyTags: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

export type DmarcParse =
  | { readonly ok: true; readonly record: DmarcRecord }
  | { readonly ok: false; readonly error: DmarcRecordError; readonly detail: string };

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];

/** A TXT record is a DMARC candidate when its v tag (name case-insensitive) starts with DMARC. */
export function isDmarcCandidate(text: string): boolean {
  return /^v\s*=\s*dmarc1/i.test(text);
}

/** RFC 7489 §6.2: a URI with an optional "!" size ( digits [k|m|g|t] ). */
function parseUris(value: string): { valid: DmarcUri[]; invalid: string[] } {
  const valid: DmarcUri[] = [];
  const invalid: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const bang = item.lastIndexOf('!');
    const uri = bang > 0 ? item.slice(0, bang) : item;
    const size = bang > 0 ? item.slice(bang + 1) : undefined;
    if (size !== undefined && !/^\d+[kmgt]?$/i.test(size)) {
      invalid.push(item);
      continue;
    }
    // An absolute URI (RFC 3986 §4.3): scheme ":" hier-part.
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(uri)) {
      invalid.push(item);
      continue;
    }
    valid.push(size === undefined ? { uri } : { uri, size_limit: size.toLowerCase() });
  }
  return { valid, invalid };
}

function policy(value: string | undefined): DmarcPolicy | undefined | 'bad' {
  if (value === undefined) return undefined;
  const v = value.toLowerCase();
  return POLICIES.includes(v) ? (v as DmarcPolicy) : 'bad';
}

/** Parses one DMARC TXT record (its strings already joined). */
export function parseDmarcRecord(text: string): DmarcParse {
  if (text.trim() === '') return { ok: false, error: 'empty', detail: 'the record is empty' };
  const tags: Record<string, string> = {};
  const parts = text.split(';');
  let first = true;
  for (let index = 0; index < parts.length; index++) {
    const part = (parts[index] ?? '').trim();
    if (part === '') {
      if (index === parts.length - 1) continue;
      if (first) return { ok: false, error: 'not-dmarc', detail: 'the record does not start with v=DMARC1' };
      continue;
    }
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (first) return { ok: false, error: 'not-dmarc', detail: 'the record does not start with v=DMARC1' };
      return { ok: false, error: 'syntax', detail: `tag "${part}" has no "="` };
    }
    // Tag names are case-insensitive in practice (RFC 9989 §4.7 ABNF strings are); values of v are not.
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (first) {
      if (name !== 'v' || value !== 'DMARC1')
        return { ok: false, error: 'not-dmarc', detail: 'the record does not start with v=DMARC1' };
      first = false;
      continue;
    }
    if (!/^[a-z][a-z0-9_]*$/.test(name)) return { ok: false, error: 'syntax', detail: `invalid tag name "${name}"` };
    if (Object.hasOwn(tags, name)) return { ok: false, error: 'syntax', detail: `tag "${name}" appears twice` };
    tags[name] = value;
  }
  // No check of `first` is needed here: a blank record returned above, and any other record has a
  // first non-blank part, which is either v=DMARC1 or ends the parse.

  const rua = parseUris(tags.rua ?? '');
  const ruf = parseUris(tags.ruf ?? '');
  // Only a tag that is present can hold a bad value: every default below is valid.
  const bad = (tag: string): DmarcParse => ({
    ok: false,
    error: 'bad-value',
    detail: `invalid ${tag}=${tags[tag] ?? ''}`,
  });

  let p = policy(tags.p);
  let sp = policy(tags.sp);
  let pImplied = false;
  // RFC 7489 §6.6.3: no valid p (or an invalid sp) with a valid rua → act as p=none.
  if (p === undefined || p === 'bad' || sp === 'bad') {
    if (rua.valid.length === 0) {
      if (p === undefined) return { ok: false, error: 'no-policy', detail: 'no p= tag and no valid rua=' };
      return bad(p === 'bad' ? 'p' : 'sp');
    }
    p = 'none';
    sp = undefined;
    pImplied = true;
  }
  const np = policy(tags.np);
  if (np === 'bad') return bad('np');
  const alignment = (name: 'adkim' | 'aspf'): 'r' | 's' | 'bad' => {
    const v = (tags[name] ?? 'r').toLowerCase();
    return v === 'r' || v === 's' ? v : 'bad';
  };
  const adkim = alignment('adkim');
  const aspf = alignment('aspf');
  if (adkim === 'bad') return bad('adkim');
  if (aspf === 'bad') return bad('aspf');
  const fo = (tags.fo ?? '0').split(':').map((f) => f.trim().toLowerCase());
  if (!fo.every((f) => ['0', '1', 'd', 's'].includes(f))) return bad('fo');
  const pctText = tags.pct ?? '100';
  if (!/^\d{1,3}$/.test(pctText) || Number(pctText) > 100) return bad('pct');
  const rf = (tags.rf ?? 'afrf').split(':').map((f) => f.trim().toLowerCase());
  if (!rf.every((f) => f === 'afrf' || f === 'iodef')) return bad('rf');
  const riText = tags.ri ?? '86400';
  if (!/^\d{1,10}$/.test(riText) || Number(riText) > 0xffffffff) return bad('ri');
  const psdText = (tags.psd ?? 'u').toLowerCase();
  if (psdText !== 'y' && psdText !== 'n' && psdText !== 'u') return bad('psd');
  const tText = (tags.t ?? 'n').toLowerCase();
  if (tText !== 'y' && tText !== 'n') return bad('t');
  const spFinal = sp ?? p;
  return {
    ok: true,
    record: {
      p,
      pImplied,
      sp: spFinal,
      spExplicit: sp !== undefined,
      np: np ?? spFinal,
      npExplicit: np !== undefined,
      adkim,
      aspf,
      fo,
      pct: Number(pctText),
      pctExplicit: tags.pct !== undefined,
      rf,
      ri: Number(riText),
      rua: rua.valid,
      ruf: ruf.valid,
      invalidRua: rua.invalid,
      psd: psdText,
      t: tText === 'y',
      legacyTags: ['pct', 'rf', 'ri'].filter((t) => tags[t] !== undefined),
      tags,
    },
  };
}

/**
 * Selects the DMARC record from every TXT record at one `_dmarc` name (RFC 9989 §4.10,
 * RFC 7489 §6.6.3): records that are not DMARC are discarded; more than one is no record.
 */
export function selectDmarcRecord(txt: readonly string[]): DmarcParse {
  const candidates = txt.filter(isDmarcCandidate);
  if (candidates.length === 0) return { ok: false, error: 'no-record', detail: 'no TXT record starts with v=DMARC1' };
  if (candidates.length > 1)
    return { ok: false, error: 'multiple-records', detail: `${candidates.length} DMARC records` };
  return parseDmarcRecord(candidates[0] ?? '');
}
