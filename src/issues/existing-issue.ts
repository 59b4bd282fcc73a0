/** An issue as listed from GitHub, reduced to what planning needs. */
export interface ExistingIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly state: 'open' | 'closed';
  readonly stateReason: string | null;
  readonly labels: readonly string[];
  readonly htmlUrl: string;
  readonly createdAt: string;
  readonly closedAt: string | null;
}
