import type { Manifest } from '../snapshot/manifest.js';
import type { SourceId } from '../snapshot/source-id.js';
import { LICENCE_NAMES } from '../snapshot/source-status.js';

/**
 * The sources that could not be read, one entry per cause: a request that failed a hundred times
 * for one source, or one sign-in failure that failed every source, is one line, not a hundred.
 * GitHub shows ten annotations per step, so each cause is one error (`failed`) or warning
 * (`not_permitted`, `not_licensed`), naming every source it stopped.
 */
export interface SourceProblem {
  readonly level: 'error' | 'warning';
  readonly sources: readonly SourceId[];
  readonly message: string;
}

function sourceList(sources: readonly SourceId[]): string {
  return sources.length === 1 ? `Source ${sources[0]}` : `${sources.length} sources (${sources.join(', ')})`;
}

export function sourceProblems(manifest: Manifest): SourceProblem[] {
  const byCause = new Map<string, { level: SourceProblem['level']; sources: SourceId[]; text: string }>();
  for (const [id, status] of Object.entries(manifest.sources) as [SourceId, Manifest['sources'][SourceId]][]) {
    if (!status || status.status === 'ok') continue;
    let level: SourceProblem['level'];
    let text: string;
    if (status.status === 'failed') {
      level = 'error';
      text = `could not be read: ${status.reason.replace(/\.$/, '')}. {their} controls are error, never pass.`;
    } else if (status.status === 'not_permitted') {
      level = 'warning';
      text = `not permitted: grant ${status.permission} (${status.reason}). {their} controls are not evaluable.`;
    } else {
      level = 'warning';
      text = `not licensed: needs ${LICENCE_NAMES[status.licence]} (${status.reason}). {their} controls are not evaluable.`;
    }
    const key = `${level}\n${text}`;
    const entry = byCause.get(key) ?? { level, sources: [], text };
    entry.sources.push(id);
    byCause.set(key, entry);
  }
  return [...byCause.values()]
    .map((e) => {
      const sources = [...e.sources].sort();
      return {
        level: e.level,
        sources,
        message: `${sourceList(sources)} ${e.text.replace('{their}', sources.length === 1 ? 'Its' : 'Their')}`,
      };
    })
    .sort((a, b) => (a.level === b.level ? a.message.localeCompare(b.message) : a.level === 'error' ? -1 : 1));
}
