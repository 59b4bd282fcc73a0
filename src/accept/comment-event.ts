import { ConfigurationError } from '../errors.js';
import { isJsonObject } from '../model/json.js';

/**
 * The parts of an `issue_comment` webhook payload the accept workflow uses (docs: "Webhook
 * events and payloads", issue_comment). The payload is read from `GITHUB_EVENT_PATH`; the issue
 * itself is fetched again, because its body and state may have changed since the event.
 */
export interface CommentEvent {
  /** `created`, `edited` or `deleted`; only `created` is acted on. */
  readonly action: string;
  readonly issueNumber: number;
  /** `issue_comment` also fires for comments on pull requests, which are never findings. */
  readonly onPullRequest: boolean;
  readonly comment: {
    readonly id: number;
    readonly body: string;
    readonly htmlUrl: string;
    readonly login: string;
    /** `User`, `Bot` or `Organization`. */
    readonly userType: string;
  };
}

function field(value: unknown, path: string): unknown {
  let at: unknown = value;
  for (const key of path.split('.')) at = isJsonObject(at) ? at[key] : undefined;
  return at;
}

/** Reads the payload, refusing one without the fields every `issue_comment` event carries. */
export function parseCommentEvent(payload: unknown, eventName: string): CommentEvent {
  if (eventName !== 'issue_comment') {
    throw new ConfigurationError(
      `mailwarden accept runs on issue_comment events (on: issue_comment: types: [created]); this run's event is "${eventName}"`,
    );
  }
  const text = (path: string): string => {
    const value = field(payload, path);
    if (typeof value !== 'string') throw new ConfigurationError(`issue_comment event: ${path} is not a string`);
    return value;
  };
  const whole = (path: string): number => {
    const value = field(payload, path);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new ConfigurationError(`issue_comment event: ${path} is not a positive whole number`);
    }
    return value;
  };
  const pullRequest = field(payload, 'issue.pull_request');
  return {
    action: text('action'),
    issueNumber: whole('issue.number'),
    onPullRequest: pullRequest !== undefined && pullRequest !== null,
    comment: {
      id: whole('comment.id'),
      body: text('comment.body'),
      htmlUrl: text('comment.html_url'),
      login: text('comment.user.login'),
      userType: text('comment.user.type'),
    },
  };
}
