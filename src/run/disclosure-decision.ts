import { errorMessage } from '../errors.js';
import type { Disclosure, DisclosureDecision } from '../report/disclosure.js';
import type { IssuesAccess, IssuesClientFactory } from './publish-report.js';
import type { IssuesSettings } from './settings.js';

/**
 * Decides, before anything is collected or written, whether this run redacts: `always`,
 * `never`, or `auto`, which redacts when the repository is public. A run with no repository
 * (the CLI on a laptop) writes only to its own machine and does not redact; a run whose
 * repository's visibility cannot be read redacts, because its output may well be public.
 */
export async function decideDisclosure(
  disclosure: Disclosure,
  issues: IssuesSettings | undefined,
  deps: { readonly issuesClient?: IssuesClientFactory | undefined },
  tenantKey: string | null,
): Promise<IssuesAccess> {
  const key = issues?.redactKey ?? tenantKey ?? 'mailwarden';
  const mode = issues?.redact ?? 'auto';
  const decide = (decision: DisclosureDecision): void => disclosure.decide(decision, key);
  if (mode === 'always') {
    decide({ redact: true, why: 'redact: always' });
    return {};
  }
  if (mode === 'never') {
    decide({ redact: false, why: 'redact: never' });
    return {};
  }
  const repo = issues?.repo;
  if (!issues || !repo) {
    decide({ redact: false, why: 'redact: auto, and no repository: the output stays on this machine' });
    return {};
  }
  const name = `${repo.owner}/${repo.repo}`;
  if (!issues.token || !deps.issuesClient) {
    decide({ redact: true, why: `redact: auto, and no token to read whether ${name} is public: redacting` });
    return {};
  }
  const api = deps.issuesClient({ ...issues, token: issues.token, repo });
  try {
    const repository = await api.getRepository();
    decide(
      repository.private
        ? { redact: false, why: `redact: auto, and ${name} is private` }
        : { redact: true, why: `redact: auto, and ${name} is public` },
    );
    return { api, repository };
  } catch (error: unknown) {
    decide({
      redact: true,
      why: `redact: auto, and whether ${name} is public cannot be read (${errorMessage(error)}): redacting`,
    });
    return { api };
  }
}
