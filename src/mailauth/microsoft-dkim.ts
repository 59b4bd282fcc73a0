import { questionKey } from '../snapshot/dns-types.js';

/**
 * Exchange Online signs with two selectors, `selector1` and `selector2`, published as CNAMEs to
 * keys Microsoft rotates (Microsoft Learn, "Use DKIM to validate outbound email sent from your
 * custom domain"). `dkim.signing` compares each CNAME with the target Get-DkimSigningConfig
 * names, so the DNS collector asks these questions for every accepted email domain.
 */
export const MICROSOFT_DKIM_SELECTORS = ['selector1', 'selector2'] as const;

/** The DNS questions `dkim.signing` reads for one domain. */
export function microsoftDkimQuestions(domain: string): { readonly name: string; readonly type: 'CNAME' }[] {
  return MICROSOFT_DKIM_SELECTORS.map((selector) => ({
    name: `${selector}._domainkey.${domain}`,
    type: 'CNAME' as const,
  }));
}

/**
 * Where a selector's CNAME can be found in recorded answers: its own CNAME question, or the
 * CNAME chain the resolver recorded in front of the TXT answer (a DKIM key lookup follows it).
 */
export function selectorQuestionKeys(selector: string, domain: string): readonly string[] {
  const name = `${selector}._domainkey.${domain}`;
  return [questionKey(name, 'CNAME'), questionKey(name, 'TXT')];
}
