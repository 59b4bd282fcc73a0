import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  executeSync,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { FakeIssue } from './github-server.js';

/**
 * The GraphQL side of the fake GitHub server. Every query is parsed, validated and executed by
 * the `graphql` package against an extract of GitHub's public schema (test/fixtures, produced
 * by scripts/extract-github-graphql.mjs), so a field or argument GitHub does not have fails
 * here as it would on GitHub: HTTP 200 with `errors`, no `data`.
 */

/** `github.com`: GitHub's schema; `no-pinning`: without `isPinned`, `pinnedIssues` and `pinIssue` (an older GHES). */
export type GraphQLVariant = 'github.com' | 'no-pinning';

/** GitHub's limit on pinned issues per repository (docs: "Pinning an issue to your repository"). */
export const PIN_LIMIT = 3;

const SDL = parse(readFileSync(new URL('../fixtures/github-graphql-schema.graphql', import.meta.url), 'utf8'));

function schemaFor(variant: GraphQLVariant): GraphQLSchema {
  if (variant === 'github.com') return buildASTSchema(SDL);
  const dropFields: Record<string, readonly string[]> = { Issue: ['isPinned'], Repository: ['pinnedIssues'] };
  const dropTypes = new Set(['Mutation', 'PinIssueInput', 'PinIssuePayload', 'PinnedIssueConnection']);
  const definitions = SDL.definitions.flatMap((d): DefinitionNode[] => {
    if (d.kind !== Kind.OBJECT_TYPE_DEFINITION) return [d];
    if (dropTypes.has(d.name.value)) return [];
    const drop = dropFields[d.name.value] ?? [];
    return [{ ...d, fields: (d.fields ?? []).filter((f) => !drop.includes(f.name.value)) }];
  });
  const doc: DocumentNode = { ...SDL, definitions };
  return buildASTSchema(doc);
}

export interface GraphQLState {
  readonly issues: ReadonlyMap<number, FakeIssue>;
  readonly pinned: number[];
  readonly pinning: { denied: boolean };
  readonly repo: { readonly owner: string; readonly name: string };
}

export interface GraphQLAnswer {
  readonly status: number;
  readonly body: unknown;
  /** `graphql/query` or `graphql/mutation`; `graphql/invalid` when it never got to execution. */
  readonly operation: string;
  readonly request: unknown;
  /** Messages of the errors answered, if any. */
  readonly errors: readonly string[];
}

/** An error as GitHub reports it: the type (FORBIDDEN, NOT_FOUND, UNPROCESSABLE) at top level. */
function githubError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

export function fakeGraphQL(variant: GraphQLVariant, state: GraphQLState) {
  const schema = schemaFor(variant);
  const issueNode = (issue: FakeIssue) => ({
    id: `I_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    closed: issue.state === 'closed',
    isPinned: state.pinned.includes(issue.number),
  });
  const rootValue = {
    repository: (args: { owner: string; name: string }) => {
      if (args.owner !== state.repo.owner || args.name !== state.repo.name) {
        throw githubError('NOT_FOUND', `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      }
      return {
        issue: ({ number }: { number: number }) => {
          const issue = state.issues.get(number);
          if (!issue || issue.pull_request)
            throw githubError('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
          return issueNode(issue);
        },
        pinnedIssues: () => ({ totalCount: state.pinned.length }),
      };
    },
    pinIssue: ({ input }: { input: { issueId: string } }) => {
      if (state.pinning.denied) throw githubError('FORBIDDEN', 'Resource not accessible by integration');
      const number = Number(/^I_(\d+)$/.exec(input.issueId)?.[1]);
      const issue = state.issues.get(number);
      if (!issue)
        throw githubError('NOT_FOUND', `Could not resolve to a node with the global id of '${input.issueId}'`);
      if (!state.pinned.includes(number)) {
        if (state.pinned.length >= PIN_LIMIT)
          throw githubError('UNPROCESSABLE', 'Maximum 3 pinned issues per repository.');
        state.pinned.push(number);
      }
      return { issue: issueNode(issue) };
    },
  };

  const errorsOnly = (operation: string, request: unknown, errors: readonly GraphQLError[]): GraphQLAnswer => ({
    status: 200,
    operation,
    request,
    body: { errors: errors.map((e) => e.toJSON()) },
    errors: errors.map((e) => e.message),
  });

  return {
    answer(raw: string): GraphQLAnswer {
      let request: unknown;
      try {
        request = JSON.parse(raw);
      } catch {
        return {
          status: 400,
          operation: 'graphql/invalid',
          request: raw,
          body: { message: 'Problems parsing JSON' },
          errors: ['Problems parsing JSON'],
        };
      }
      const { query, variables, operationName } = (request ?? {}) as {
        query?: unknown;
        variables?: unknown;
        operationName?: unknown;
      };
      if (typeof query !== 'string')
        return errorsOnly('graphql/invalid', request, [
          new GraphQLError('A query attribute must be specified and must be a string.'),
        ]);
      let document: DocumentNode;
      try {
        document = parse(query);
      } catch (error: unknown) {
        return errorsOnly('graphql/invalid', request, [
          error instanceof GraphQLError ? error : new GraphQLError(String(error)),
        ]);
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) return errorsOnly('graphql/invalid', request, invalid);
      const name = typeof operationName === 'string' ? operationName : undefined;
      const kind = getOperationAST(document, name)?.operation ?? 'query';
      const result = executeSync({
        schema,
        document,
        rootValue,
        ...(name ? { operationName: name } : {}),
        variableValues: (variables ?? {}) as Record<string, unknown>,
      });
      const errors = result.errors ?? [];
      const body = {
        ...('data' in result ? { data: result.data } : {}),
        ...(errors.length > 0
          ? {
              errors: errors.map((e) => {
                const json = e.toJSON();
                const type = json.extensions?.type;
                return typeof type === 'string' ? { ...json, type } : json;
              }),
            }
          : {}),
      };
      return { status: 200, operation: `graphql/${kind}`, request, body, errors: errors.map((e) => e.message) };
    },
  };
}
