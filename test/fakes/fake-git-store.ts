import { createHash } from 'node:crypto';

/**
 * The repository content behind the fake GitHub: blobs, commits and branches, with git's own
 * blob SHA (`sha1("blob <size>\0" + content)`), so a client that sends the wrong blob SHA on an
 * update is refused as GitHub refuses it. Commits hold a full path → blob map (no trees).
 */

export interface FakeCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly files: ReadonlyMap<string, string>;
}

export function gitBlobSha(content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
}

export class FakeGitStore {
  readonly defaultBranch: string;
  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, FakeCommit>();
  readonly blobs = new Map<string, Buffer>();
  private counter = 0;

  constructor(defaultBranch = 'main') {
    this.defaultBranch = defaultBranch;
    this.branches.set(defaultBranch, this.commit([], 'Initial commit', new Map()));
  }

  private commit(parents: readonly string[], message: string, files: ReadonlyMap<string, string>): string {
    const sha = createHash('sha1')
      .update(`commit ${++this.counter}\n${parents.join(',')}\n${message}\n${[...files].join(';')}`)
      .digest('hex');
    this.commits.set(sha, { sha, parents, message, files });
    return sha;
  }

  /** A branch name or a commit SHA to the commit it names. */
  resolve(ref: string): FakeCommit | undefined {
    const sha = this.branches.get(ref) ?? (this.commits.has(ref) ? ref : undefined);
    return sha === undefined ? undefined : this.commits.get(sha);
  }

  fileAt(path: string, ref: string): { readonly sha: string; readonly content: Buffer } | undefined {
    const sha = this.resolve(ref)?.files.get(path);
    const content = sha === undefined ? undefined : this.blobs.get(sha);
    return sha === undefined || content === undefined ? undefined : { sha, content };
  }

  /** Commits one file on a branch; returns the new commit's SHA. */
  commitFile(branch: string, path: string, content: Buffer, message: string): string {
    const head = this.resolve(branch);
    if (!head) throw new Error(`no branch ${branch}`);
    const blob = gitBlobSha(content);
    this.blobs.set(blob, content);
    const files = new Map(head.files);
    files.set(path, blob);
    const sha = this.commit([head.sha], message, files);
    this.branches.set(branch, sha);
    return sha;
  }

  /** Whether `ancestor` is `descendant` or one of its parents, transitively. */
  isAncestor(ancestor: string, descendant: string): boolean {
    const seen = new Set<string>();
    const queue = [descendant];
    while (queue.length > 0) {
      const sha = queue.pop() as string;
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(this.commits.get(sha)?.parents ?? []));
    }
    return false;
  }

  /** Merges `head` into `base` with a merge commit whose files are the head's (the fake has no conflicts). */
  merge(base: string, head: string, message: string): string {
    const baseCommit = this.resolve(base);
    const headCommit = this.resolve(head);
    if (!baseCommit || !headCommit) throw new Error(`cannot merge ${head} into ${base}`);
    const sha = this.commit([baseCommit.sha, headCommit.sha], message, new Map(headCommit.files));
    this.branches.set(base, sha);
    return sha;
  }

  /** Commits on a branch, newest first, following first parents. */
  log(branch: string): FakeCommit[] {
    const out: FakeCommit[] = [];
    for (let at = this.resolve(branch); at; at = at.parents[0] ? this.commits.get(at.parents[0]) : undefined)
      out.push(at);
    return out;
  }
}
