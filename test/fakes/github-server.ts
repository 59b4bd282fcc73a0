import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import { FakeGitStore } from './fake-git-store.js';
import { fakeGraphQL, type GraphQLVariant } from './github-graphql.js';

/**
 * A fake GitHub REST server on loopback: exactly the endpoints mailwarden calls, Link-header
 * pagination, secondary rate limits (403 and 429) and 5xx errors on demand. Every request body
 * is validated against GitHub's OpenAPI description of its operation (test/fixtures, extracted
 * by scripts/extract-github-openapi.mjs); unknown body fields or query parameters are rejected.
 * Where the extract holds an operation's response shape, every answer is checked against it too:
 * a field GitHub does not have, or one of the wrong type, is a 500, so the fake cannot drift.
 * Besides issues it keeps repository content (./fake-git-store.ts), collaborators' roles and
 * pull requests, for `/mailwarden accept`.
 * `POST /graphql` (GHES: `/api/graphql`) parses, validates and executes each query against an
 * extract of GitHub's public GraphQL schema (./github-graphql.ts).
 */

interface OperationSpec {
  method: string;
  path: string;
  query: { name: string; schema: object }[];
  requestBody?: { required: boolean; schema: Record<string, unknown> };
  /** Success statuses with the shape of their JSON body (null: no body). */
  responses?: Record<string, Record<string, unknown> | null>;
}
const SPEC = JSON.parse(
  readFileSync(new URL('../fixtures/github-openapi-operations.json', import.meta.url), 'utf8'),
) as {
  specs: Record<string, Record<string, OperationSpec>>;
};

export interface FakeIssue {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: string | null;
  labels: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  comments: string[];
  pull_request?: boolean;
}

/** A repository role as granted (docs: "Repository roles for an organization"). */
export type FakeRole = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  created_at: string;
  updated_at: string;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
  /** GraphQL errors answered (GitHub answers them with HTTP 200). */
  readonly errors?: readonly string[];
}

export interface Fault {
  readonly operation: string;
  /** 403 and 429 are secondary rate limits; 5xx are server errors; `forbidden` is a plain 403. */
  readonly status: 403 | 429 | 500 | 502 | 503;
  readonly forbidden?: boolean;
  /** Fail this many matching requests, after skipping `after` of them. */
  readonly times: number;
  readonly after?: number;
  /** Carry out the write, then answer with the error (the worst case for duplicates). */
  readonly commit?: boolean;
}

export interface FakeGitHubOptions {
  readonly owner?: string;
  readonly repo?: string;
  readonly private?: boolean;
  /** `/api/v3` to serve like GitHub Enterprise Server. */
  readonly prefix?: string;
  readonly spec?: 'api.github.com' | 'ghes-3.17';
  readonly token?: string;
  /** Base of `html_url`s (default: the server's own URL), so golden files do not carry a port. */
  readonly htmlBase?: string;
  /** The GraphQL schema served: GitHub's (default), or one without issue pinning (an older GHES). */
  readonly graphql?: GraphQLVariant;
  /** Collaborators and their roles; anyone else is no collaborator (404 on the permission endpoint). */
  readonly collaborators?: Readonly<Record<string, FakeRole>>;
}

export interface FakeGitHub {
  readonly url: string;
  /** The REST base URL to give Octokit. */
  readonly apiUrl: string;
  readonly issues: Map<number, FakeIssue>;
  readonly labels: Set<string>;
  readonly requests: RequestRecord[];
  /** Pinned issue numbers, in pin order (GitHub allows three). */
  readonly pinned: number[];
  /** Requests that change state (REST POST and PATCH, GraphQL mutations), answered 2xx; from request `since` on. */
  writes(since?: number): RequestRecord[];
  /** The token may not pin issues: `pinIssue` answers FORBIDDEN. */
  denyPinning(): void;
  inject(fault: Fault): void;
  /** A person closes an issue in the web UI. */
  closeByHand(number: number): void;
  /** Adds an issue or pull request directly (not through the API). */
  seed(issue: Partial<FakeIssue> & { title: string }): FakeIssue;
  setRepoAccess(access: 'ok' | 'forbidden' | 'missing'): void;
  /** Branches, commits and files of the repository. */
  readonly git: FakeGitStore;
  readonly pulls: Map<number, FakePull>;
  /** Grants a role (or, with `undefined`, removes the collaborator). */
  setRole(login: string, role: FakeRole | undefined): void;
  /** Commits a file on a branch (default: the default branch), as a person pushing would. */
  pushFile(path: string, text: string, branch?: string): string;
  /** The file's text on a branch, or `undefined`. */
  fileText(path: string, branch?: string): string | undefined;
  /** A reviewer merges the pull request in the web UI. */
  mergePull(number: number): void;
  close(): Promise<void>;
}

/** OpenAPI 3.0 `nullable: true` in JSON Schema terms: the same schema, or null. */
function fromOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fromOpenApi);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, fromOpenApi(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

/** Every object schema that lists its properties admits no others (the fake's answers may be partial, never invented). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema as Record<string, unknown>).map(([k, v]) => [
    k,
    k === 'properties'
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([name, s]) => [name, closed(s)]))
      : closed(v),
  ]);
  const out = Object.fromEntries(entries) as Record<string, unknown>;
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function compile(ajv: Ajv, schema: Record<string, unknown>): ValidateFunction {
  // GitHub ignores unknown fields; the fake rejects them so a typo cannot pass the tests.
  return ajv.compile(fromOpenApi({ ...schema, additionalProperties: false }) as object);
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const owner = options.owner ?? 'contoso';
  const repoName = options.repo ?? 'it-audit';
  const prefix = options.prefix ?? '';
  const token = options.token ?? 'test-token';
  const ops = SPEC.specs[options.spec ?? 'api.github.com'] ?? {};
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  for (const [id, op] of Object.entries(ops))
    if (op.requestBody) validators.set(id, compile(ajv, op.requestBody.schema));
  const answerValidators = new Map<string, ValidateFunction>();
  for (const [id, op] of Object.entries(ops)) {
    for (const [code, shape] of Object.entries(op.responses ?? {})) {
      if (shape) answerValidators.set(`${id} ${code}`, ajv.compile(closed(fromOpenApi(shape)) as object));
    }
  }

  const issues = new Map<number, FakeIssue>();
  const labels = new Set<string>();
  const requests: RequestRecord[] = [];
  const faults: (Fault & { seen: number; failed: number })[] = [];
  let next = 1;
  let access: 'ok' | 'forbidden' | 'missing' = 'ok';
  const git = new FakeGitStore();
  const pulls = new Map<number, FakePull>();
  const roles = new Map<string, FakeRole>(Object.entries(options.collaborators ?? {}));
  let base = '';
  let tick = Date.parse('2026-01-01T00:00:00Z');
  // Strictly increasing timestamps near real time, so `since` filters behave.
  const stamp = () => {
    tick = Math.max(tick + 1, Date.now());
    return new Date(tick).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };

  const issueJson = (i: FakeIssue) => ({
    id: i.number * 1000,
    node_id: `I_${i.number}`,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.state_reason,
    labels: i.labels.map((name) => ({ name })),
    html_url: `${options.htmlBase ?? base}/${owner}/${repoName}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.closed_at,
    comments: i.comments.length,
    ...(i.pull_request ? { pull_request: { url: `${base}/pulls/${i.number}` } } : {}),
  });

  const repoHtml = () => `${options.htmlBase ?? base}/${owner}/${repoName}`;
  const pullJson = (p: FakePull) => {
    const side = (branch: string) => ({
      label: `${owner}:${branch}`,
      ref: branch,
      sha: git.branches.get(branch) ?? '',
    });
    return {
      id: p.number * 1000,
      node_id: `PR_${p.number}`,
      number: p.number,
      state: p.state,
      title: p.title,
      body: p.body,
      html_url: `${repoHtml()}/pull/${p.number}`,
      url: `${base}/repos/${owner}/${repoName}/pulls/${p.number}`,
      head: side(p.head),
      base: side(p.base),
      merged_at: p.merged ? p.updated_at : null,
      created_at: p.created_at,
      updated_at: p.updated_at,
      draft: false,
    };
  };
  const fileJson = (path: string, ref: string, sha: string, content?: Buffer) => ({
    type: 'file',
    name: path.split('/').pop() ?? path,
    path,
    sha,
    size: content?.length ?? 0,
    url: `${base}/repos/${owner}/${repoName}/contents/${path}?ref=${encodeURIComponent(ref)}`,
    git_url: `${base}/repos/${owner}/${repoName}/git/blobs/${sha}`,
    html_url: `${repoHtml()}/blob/${ref}/${path}`,
    download_url: `${base}/raw/${owner}/${repoName}/${ref}/${path}`,
    _links: {
      self: `${base}/repos/${owner}/${repoName}/contents/${path}`,
      git: `${base}/repos/${owner}/${repoName}/git/blobs/${sha}`,
      html: `${repoHtml()}/blob/${ref}/${path}`,
    },
  });
  const refJson = (branch: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: `REF_${branch}`,
    url: `${base}/repos/${owner}/${repoName}/git/refs/heads/${branch}`,
    object: {
      type: 'commit',
      sha: git.branches.get(branch) ?? '',
      url: `${base}/repos/${owner}/${repoName}/git/commits/${git.branches.get(branch) ?? ''}`,
    },
  });
  const validationFailed = (message: string) => ({
    message: 'Validation Failed',
    errors: [{ resource: 'PullRequest', code: 'custom', message }],
    documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
  });

  const route = (method: string, pathname: string): { op: string; params: Record<string, string> } | undefined => {
    for (const [id, op] of Object.entries(ops)) {
      if (op.method !== method) continue;
      const names: string[] = [];
      const re = new RegExp(
        `^${prefix}${op.path.replace(/\{(\w+)\}/g, (_m, n: string) => {
          names.push(n);
          return '([^/]+)';
        })}$`,
      );
      const m = re.exec(pathname);
      if (m)
        return { op: id, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])) };
    }
    return undefined;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const pinned: number[] = [];
  const pinning = { denied: false };
  const graphql = fakeGraphQL(options.graphql ?? 'github.com', {
    issues,
    pinned,
    pinning,
    repo: { owner, name: repoName },
  });
  // GitHub.com serves GraphQL at /graphql; GHES at /api/graphql next to /api/v3 (docs: "Forming calls with GraphQL").
  const graphqlPath = prefix.endsWith('/api/v3')
    ? `${prefix.slice(0, -'/api/v3'.length)}/api/graphql`
    : `${prefix}/graphql`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    if (url.pathname === graphqlPath && method === 'POST') {
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
        requests.push({ method, path: url.pathname, operation: 'graphql', status: 401, body: null });
        return send(res, 401, { message: 'Bad credentials' });
      }
      const answer = graphql.answer(raw);
      requests.push({
        method,
        path: url.pathname,
        operation: answer.operation,
        status: answer.status,
        body: answer.request,
        ...(answer.errors.length > 0 ? { errors: answer.errors } : {}),
      });
      return send(res, answer.status, answer.body);
    }
    const found = route(method, url.pathname);
    const log = (status: number, body: unknown, op = found?.op ?? 'unknown') =>
      requests.push({ method, path: url.pathname + url.search, operation: op, status, body });
    if (!found) {
      log(404, null);
      return send(res, 404, { message: `fake GitHub: no route ${method} ${url.pathname}` });
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      log(401, null);
      return send(res, 401, { message: 'Bad credentials' });
    }
    const spec = ops[found.op];
    let body: unknown;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        log(400, raw);
        return send(res, 400, { message: 'Problems parsing JSON' });
      }
    }
    const validate = validators.get(found.op);
    if (spec?.requestBody?.required && body === undefined) {
      log(422, body);
      return send(res, 422, { message: `${found.op}: request body required` });
    }
    if (validate && body !== undefined && !validate(body)) {
      log(422, body);
      return send(res, 422, {
        message: `${found.op}: body does not match GitHub's OpenAPI schema`,
        errors: validate.errors,
      });
    }
    const allowed = new Set(spec?.query.map((q) => q.name) ?? []);
    for (const key of url.searchParams.keys()) {
      if (!allowed.has(key)) {
        log(422, body);
        return send(res, 422, { message: `${found.op}: unknown query parameter ${key}` });
      }
    }
    if (found.params.owner !== owner || found.params.repo !== repoName || access === 'missing') {
      log(404, body);
      return send(res, 404, { message: 'Not Found' });
    }
    if (access === 'forbidden') {
      log(403, body);
      return send(res, 403, { message: 'Resource not accessible by integration' });
    }

    const fault = faults.find((f) => f.operation === found.op && f.failed < f.times && f.seen++ >= (f.after ?? 0));
    const fail = () => {
      if (!fault) return false;
      fault.failed++;
      if (fault.status === 403 && fault.forbidden) {
        log(403, body);
        send(res, 403, { message: 'Resource not accessible by integration' });
      } else if (fault.status === 403 || fault.status === 429) {
        log(fault.status, body);
        send(
          res,
          fault.status,
          { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
          { 'retry-after': '1' },
        );
      } else {
        log(fault.status, body);
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        res.end('<html><body>Bad Gateway</body></html>');
      }
      return true;
    };
    if (fault && !fault.commit && fail()) return;

    const b = (body ?? {}) as Record<string, unknown>;
    const issueNumber = Number(found.params.issue_number);
    let status = 200;
    let payload: unknown;
    const extraHeaders: Record<string, string> = {};
    switch (found.op) {
      case 'repos/get':
        payload = {
          id: 1,
          name: repoName,
          full_name: `${owner}/${repoName}`,
          private: options.private ?? true,
          html_url: `${base}/${owner}/${repoName}`,
          default_branch: git.defaultBranch,
        };
        break;
      case 'issues/list-for-repo': {
        const q = url.searchParams;
        const state = q.get('state') ?? 'open';
        const wanted = (q.get('labels') ?? '').split(',').filter((l) => l !== '');
        const since = q.get('since');
        const sort = q.get('sort') ?? 'created';
        const direction = q.get('direction') ?? 'desc';
        let list = [...issues.values()].filter(
          (i) =>
            (state === 'all' || i.state === state) &&
            wanted.every((l) => i.labels.includes(l)) &&
            (!since || i.updated_at >= since),
        );
        const key = (i: FakeIssue) =>
          (sort === 'updated' ? i.updated_at : i.created_at) + String(i.number).padStart(8, '0');
        list = list.sort((x, y) => (direction === 'asc' ? key(x).localeCompare(key(y)) : key(y).localeCompare(key(x))));
        const perPage = Math.min(100, Number(q.get('per_page') ?? 30));
        const page = Number(q.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(list.length / perPage));
        payload = list.slice((page - 1) * perPage, page * perPage).map(issueJson);
        const link = (p: number, rel: string) => {
          const u = new URL(url.href);
          u.searchParams.set('page', String(p));
          return `<${u.href}>; rel="${rel}"`;
        };
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
        ];
        if (links.length > 0) extraHeaders.link = links.join(', ');
        break;
      }
      case 'issues/create': {
        const now = stamp();
        const issue: FakeIssue = {
          number: next++,
          title: String(b.title),
          body: (b.body as string | undefined) ?? null,
          state: 'open',
          state_reason: null,
          labels: ((b.labels as string[] | undefined) ?? []).map(String),
          created_at: now,
          updated_at: now,
          closed_at: null,
          comments: [],
        };
        for (const l of issue.labels) labels.add(l);
        issues.set(issue.number, issue);
        status = 201;
        payload = issueJson(issue);
        break;
      }
      case 'issues/update': {
        const issue = issues.get(issueNumber);
        if (!issue) {
          log(404, body);
          return send(res, 404, { message: 'Not Found' });
        }
        if (typeof b.title === 'string') issue.title = b.title;
        if (b.body !== undefined) issue.body = (b.body as string | null) ?? null;
        if (Array.isArray(b.labels)) {
          issue.labels = b.labels.map(String);
          for (const l of issue.labels) labels.add(l);
        }
        if (b.state === 'closed' && issue.state === 'open') {
          issue.state = 'closed';
          issue.closed_at = stamp();
          issue.state_reason = (b.state_reason as string | undefined) ?? 'completed';
        } else if (b.state === 'open' && issue.state === 'closed') {
          issue.state = 'open';
          issue.closed_at = null;
          issue.state_reason = 'reopened';
        }
        issue.updated_at = stamp();
        payload = issueJson(issue);
        break;
      }
      case 'issues/create-comment': {
        const issue = issues.get(issueNumber);
        if (!issue) {
          log(404, body);
          return send(res, 404, { message: 'Not Found' });
        }
        issue.comments.push(String(b.body));
        issue.updated_at = stamp();
        status = 201;
        payload = {
          id: issue.comments.length,
          body: b.body,
          html_url: `${base}/${owner}/${repoName}/issues/${issue.number}#issuecomment-${issue.comments.length}`,
        };
        break;
      }
      case 'repos/get-collaborator-permission-level': {
        const role = roles.get(found.params.username ?? '');
        if (!role) {
          log(404, body);
          return send(res, 404, { message: `${found.params.username} is not a user` });
        }
        // The base permission: maintain shows as write and triage as read (docs: "Get repository permissions for a user").
        const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
        payload = {
          permission,
          role_name: role,
          user: { login: found.params.username, id: 7, type: 'User', site_admin: false },
        };
        break;
      }
      case 'issues/get': {
        const issue = issues.get(issueNumber);
        if (!issue) {
          log(404, body);
          return send(res, 404, { message: 'Not Found' });
        }
        payload = issueJson(issue);
        break;
      }
      case 'repos/get-content': {
        const path = found.params.path ?? '';
        const ref = url.searchParams.get('ref') ?? git.defaultBranch;
        const file = git.fileAt(path, ref);
        if (!file) {
          log(404, body);
          return send(res, 404, { message: git.resolve(ref) ? 'Not Found' : `No commit found for the ref ${ref}` });
        }
        // GitHub wraps the base64 at 60 characters, and gives no content for files over 1 MB.
        const large = file.content.length > 1_048_576;
        payload = {
          ...fileJson(path, ref, file.sha, file.content),
          encoding: large ? 'none' : 'base64',
          content: large ? '' : (file.content.toString('base64').match(/.{1,60}/g) ?? []).join('\n'),
        };
        break;
      }
      case 'repos/create-or-update-file-contents': {
        const path = found.params.path ?? '';
        const branch = typeof b.branch === 'string' ? b.branch : git.defaultBranch;
        if (!git.branches.has(branch)) {
          log(404, body);
          return send(res, 404, { message: `Branch ${branch} not found` });
        }
        const current = git.fileAt(path, branch);
        if (current && b.sha === undefined) {
          log(422, body);
          return send(res, 422, { message: 'Invalid request.\n\n"sha" wasn\'t supplied.' });
        }
        if (current && b.sha !== current.sha) {
          log(409, body);
          return send(res, 409, { message: `${path} does not match ${String(b.sha)}` });
        }
        const content = Buffer.from(String(b.content), 'base64');
        const commit = git.commitFile(branch, path, content, String(b.message));
        const blob = git.fileAt(path, branch)?.sha ?? '';
        status = current ? 200 : 201;
        payload = {
          content: fileJson(path, branch, blob, content),
          commit: {
            sha: commit,
            node_id: `C_${commit}`,
            url: `${base}/repos/${owner}/${repoName}/git/commits/${commit}`,
            html_url: `${repoHtml()}/commit/${commit}`,
            message: String(b.message),
          },
        };
        break;
      }
      case 'git/get-ref': {
        const ref = found.params.ref ?? '';
        const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : undefined;
        if (branch === undefined || !git.branches.has(branch)) {
          log(404, body);
          return send(res, 404, { message: 'Not Found' });
        }
        payload = refJson(branch);
        break;
      }
      case 'git/create-ref': {
        const ref = String(b.ref);
        const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
        if (branch === undefined || branch === '') {
          log(422, body);
          return send(res, 422, { message: `${ref} is not a valid ref name.` });
        }
        if (git.branches.has(branch)) {
          log(422, body);
          return send(res, 422, { message: 'Reference already exists' });
        }
        if (!git.commits.has(String(b.sha))) {
          log(422, body);
          return send(res, 422, { message: 'Object does not exist' });
        }
        git.branches.set(branch, String(b.sha));
        status = 201;
        payload = refJson(branch);
        break;
      }
      case 'git/update-ref': {
        const ref = found.params.ref ?? '';
        const branch = ref.startsWith('heads/') ? ref.slice('heads/'.length) : '';
        const current = git.branches.get(branch);
        if (current === undefined) {
          log(422, body);
          return send(res, 422, { message: 'Reference does not exist' });
        }
        const sha = String(b.sha);
        if (!git.commits.has(sha)) {
          log(422, body);
          return send(res, 422, { message: 'Object does not exist' });
        }
        if (b.force !== true && !git.isAncestor(current, sha)) {
          log(422, body);
          return send(res, 422, { message: 'Update is not a fast forward' });
        }
        git.branches.set(branch, sha);
        payload = refJson(branch);
        break;
      }
      case 'pulls/list': {
        const q = url.searchParams;
        const state = q.get('state') ?? 'open';
        const head = q.get('head');
        payload = [...pulls.values()]
          .filter((p) => (state === 'all' || p.state === state) && (!head || `${owner}:${p.head}` === head))
          .sort((x, y) => y.number - x.number)
          .map(pullJson);
        break;
      }
      case 'pulls/create': {
        const head = String(b.head).replace(new RegExp(`^${owner}:`), '');
        const baseBranch = String(b.base);
        const headSha = git.branches.get(head);
        const baseSha = git.branches.get(baseBranch);
        if (headSha === undefined || baseSha === undefined) {
          log(422, body);
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'PullRequest', field: headSha === undefined ? 'head' : 'base', code: 'invalid' }],
          });
        }
        if ([...pulls.values()].some((p) => p.state === 'open' && p.head === head && p.base === baseBranch)) {
          log(422, body);
          return send(res, 422, validationFailed(`A pull request already exists for ${owner}:${head}.`));
        }
        if (git.isAncestor(headSha, baseSha)) {
          log(422, body);
          return send(res, 422, validationFailed(`No commits between ${baseBranch} and ${head}`));
        }
        const now = stamp();
        const pull: FakePull = {
          number: next++,
          title: String(b.title),
          body: typeof b.body === 'string' ? b.body : null,
          head,
          base: baseBranch,
          state: 'open',
          merged: false,
          created_at: now,
          updated_at: now,
        };
        pulls.set(pull.number, pull);
        // A pull request is an issue too: it takes the next number and takes comments.
        issues.set(pull.number, {
          number: pull.number,
          title: pull.title,
          body: pull.body,
          state: 'open',
          state_reason: null,
          labels: [],
          created_at: now,
          updated_at: now,
          closed_at: null,
          comments: [],
          pull_request: true,
        });
        status = 201;
        payload = pullJson(pull);
        break;
      }
      case 'pulls/update': {
        const pull = pulls.get(Number(found.params.pull_number));
        if (!pull) {
          log(404, body);
          return send(res, 404, { message: 'Not Found' });
        }
        if (typeof b.title === 'string') pull.title = b.title;
        if (typeof b.body === 'string') pull.body = b.body;
        if (b.state === 'open' || b.state === 'closed') pull.state = b.state;
        pull.updated_at = stamp();
        const asIssue = issues.get(pull.number);
        if (asIssue) Object.assign(asIssue, { title: pull.title, body: pull.body, state: pull.state });
        payload = pullJson(pull);
        break;
      }
      case 'issues/list-labels-for-repo':
        payload = [...labels].map((name, i) => ({ id: i + 1, name, color: 'ededed' }));
        break;
      case 'issues/create-label': {
        const name = String(b.name);
        if ([...labels].some((l) => l.toLowerCase() === name.toLowerCase())) {
          log(422, body);
          return send(res, 422, {
            message: 'Validation Failed',
            errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
          });
        }
        labels.add(name);
        status = 201;
        payload = { id: labels.size, name, color: b.color };
        break;
      }
      default:
        log(404, body);
        return send(res, 404, { message: 'Not Found' });
    }
    if (fault?.commit && fail()) return;
    const answerShape = answerValidators.get(`${found.op} ${status}`);
    if (answerShape && !answerShape(payload)) {
      log(500, body);
      return send(res, 500, {
        message: `fake GitHub: its ${found.op} answer does not match GitHub's OpenAPI response schema`,
        errors: answerShape.errors,
      });
    }
    log(status, body);
    send(res, status, payload, extraHeaders);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    apiUrl: `${base}${prefix}`,
    issues,
    labels,
    requests,
    pinned,
    writes: (since = 0) =>
      requests
        .slice(since)
        .filter(
          (r) =>
            r.method !== 'GET' &&
            r.status < 300 &&
            r.operation !== 'graphql/query' &&
            r.operation !== 'graphql/invalid' &&
            !r.errors,
        ),
    denyPinning: () => {
      pinning.denied = true;
    },
    inject: (fault) => faults.push({ ...fault, seen: 0, failed: 0 }),
    closeByHand: (number) => {
      const issue = issues.get(number);
      if (!issue) throw new Error(`no issue #${number}`);
      issue.state = 'closed';
      issue.state_reason = 'completed';
      issue.closed_at = stamp();
      issue.updated_at = issue.closed_at;
    },
    seed: (partial) => {
      const now = stamp();
      const issue: FakeIssue = {
        number: next++,
        body: null,
        state: 'open',
        state_reason: null,
        labels: [],
        created_at: now,
        updated_at: now,
        closed_at: null,
        comments: [],
        ...partial,
      };
      issues.set(issue.number, issue);
      return issue;
    },
    setRepoAccess: (a) => {
      access = a;
    },
    git,
    pulls,
    setRole: (login, role) => {
      if (role === undefined) roles.delete(login);
      else roles.set(login, role);
    },
    pushFile: (path, text, branch = git.defaultBranch) =>
      git.commitFile(branch, path, Buffer.from(text, 'utf8'), `Update ${path}`),
    fileText: (path, branch = git.defaultBranch) => git.fileAt(path, branch)?.content.toString('utf8'),
    mergePull: (number) => {
      const pull = pulls.get(number);
      if (pull?.state !== 'open') throw new Error(`no open pull request #${number}`);
      git.merge(pull.base, pull.head, `Merge pull request #${number} from ${owner}/${pull.head}`);
      pull.state = 'closed';
      pull.merged = true;
      pull.updated_at = stamp();
      const asIssue = issues.get(number);
      if (asIssue) Object.assign(asIssue, { state: 'closed', closed_at: pull.updated_at });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
