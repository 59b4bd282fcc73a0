import { ConfigurationError } from '../../errors.js';
import { normaliseName } from '../../model/domain-name.js';

/**
 * Parses a comma- or whitespace-separated domain list (`--domains`, input `domains`):
 * lower-case, no trailing dot, each a syntactically valid multi-label name.
 */
export function parseDomainList(text: string, where: string): string[] {
  const domains: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    if (raw === '') continue;
    const domain = normaliseName(raw);
    const labels = domain.split('.');
    const valid =
      domain.length <= 253 &&
      labels.length >= 2 &&
      labels.every((l) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l));
    if (!valid) throw new ConfigurationError(`${where}: "${raw}" is not a domain name`);
    if (!domains.includes(domain)) domains.push(domain);
  }
  return domains;
}
