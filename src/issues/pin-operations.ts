/**
 * The GraphQL operations that pin the dashboard issue, kept as plain strings so that
 * scripts/extract-github-graphql.mjs can validate them against GitHub's full public schema and
 * extract the part of it the fake GitHub server validates against.
 */

/**
 * The dashboard's node ID, whether it is pinned, and how many issues are pinned (GitHub allows
 * three). Docs: GraphQL reference, objects "Issue" (`isPinned`) and "Repository" (`pinnedIssues`).
 */
export const PIN_STATE_QUERY = `query mailwardenPinState($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issue(number: $number) {
      id
      isPinned
    }
    pinnedIssues(first: 3) {
      totalCount
    }
  }
}`;

/** Docs: GraphQL reference, mutations, "pinIssue" (input PinIssueInput: `issueId`). */
export const PIN_ISSUE_MUTATION = `mutation mailwardenPinIssue($issueId: ID!) {
  pinIssue(input: { issueId: $issueId }) {
    issue {
      isPinned
    }
  }
}`;

export const GRAPHQL_OPERATIONS = [PIN_STATE_QUERY, PIN_ISSUE_MUTATION] as const;
