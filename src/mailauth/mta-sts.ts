/** MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) record and policy parsing. */

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** RFC 8461 §3.1: v=STSv1; id=1*32(ALPHA / DIGIT). */
export function parseMtaStsRecord(text: string): Parsed<{ id: string }> {
  const fields = new Map<string, string>();
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  for (const [i, part] of parts.entries()) {
    const eq = part.indexOf('=');
    if (eq < 0) return { ok: false, error: `field "${part}" has no "="` };
    const name = part.slice(0, eq).trim();
    if (i === 0 && (name !== 'v' || part.slice(eq + 1).trim() !== 'STSv1'))
      return { ok: false, error: 'the record does not start with v=STSv1' };
    fields.set(name, part.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  if (id === undefined || !/^[A-Za-z0-9]{1,32}$/.test(id))
    return { ok: false, error: 'id= is missing or not 1-32 letters and digits' };
  return { ok: true, value: { id } };
}

export interface MtaStsPolicy {
  readonly mode: 'enforce' | 'testing' | 'none';
  readonly mx: readonly string[];
  readonly maxAge: number;
}

/** RFC 8461 §3.2: key: value lines; version STSv1, mode, max_age (≤ 31557600), mx (unless mode none). */
export function parseMtaStsPolicy(body: string): Parsed<MtaStsPolicy> {
  const fields = new Map<string, string[]>();
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon < 0) return { ok: false, error: `line "${line.slice(0, 60)}" has no ":"` };
    const key = line.slice(0, colon).trim();
    fields.set(key, [...(fields.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  if (fields.get('version')?.[0] !== 'STSv1') return { ok: false, error: 'version is not STSv1' };
  const mode = fields.get('mode')?.[0];
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none')
    return { ok: false, error: `mode "${mode ?? ''}" is not enforce, testing or none` };
  const maxAgeText = fields.get('max_age')?.[0] ?? '';
  if (!/^\d{1,10}$/.test(maxAgeText) || Number(maxAgeText) > 31_557_600)
    return { ok: false, error: `max_age "${maxAgeText}" is invalid` };
  const mx = fields.get('mx') ?? [];
  if (mode !== 'none' && mx.length === 0) return { ok: false, error: 'no mx: line' };
  return { ok: true, value: { mode, mx, maxAge: Number(maxAgeText) } };
}

/** RFC 8460 §3: v=TLSRPTv1; rua=URI[,URI] (mailto: or https:). */
export function parseTlsRptRecord(text: string): Parsed<{ rua: readonly string[] }> {
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts[0]?.replace(/\s+/g, '') !== 'v=TLSRPTv1')
    return { ok: false, error: 'the record does not start with v=TLSRPTv1' };
  const rua = parts.find((p) => /^rua\s*=/.test(p));
  if (rua === undefined) return { ok: false, error: 'no rua= field' };
  const uris = rua
    .slice(rua.indexOf('=') + 1)
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (uris.length === 0 || !uris.every((u) => /^(mailto:\S+@\S+|https:\/\/\S+)$/i.test(u))) {
    return { ok: false, error: 'rua= must list mailto: or https: URIs' };
  }
  return { ok: true, value: { rua: uris } };
}
