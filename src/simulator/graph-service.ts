import { isJsonObject, type JsonObject } from '../model/json.js';
import type { SourceId } from '../snapshot/source-id.js';
import type { EndpointFamily } from './endpoint-family.js';
import { graphError, jsonResponse, type SimResponse } from './graph-error.js';
import {
  applySelect,
  type FilterClause,
  type FilterSupport,
  matchesFilter,
  type ODataQuery,
  ODataQueryError,
  parseFilter,
  readQuery,
} from './odata-query.js';
import type { SimulatedTenant } from './tenant-data.js';

/** A Graph GET as the simulator sees it, whether it came on its own or inside a `$batch`. */
export interface GraphRequest {
  /** Path after `/v1.0`, e.g. `/users`. */
  readonly path: string;
  readonly params: URLSearchParams;
  readonly clientRequestId?: string;
}

/** What a path is: its throttling family, the source it serves, the permission it needs. */
export interface GraphRoute {
  readonly family: EndpointFamily;
  readonly source: SourceId;
  /** The Graph application permission (any one of them) the token must carry. */
  readonly permissions: readonly string[];
  /** For Outlook routes: the mailbox, which scopes the Outlook limits. */
  readonly mailbox?: string;
  serve(request: GraphRequest, query: ODataQuery): Promise<SimResponse>;
}

interface CollectionOptions {
  readonly filters: FilterSupport;
  readonly defaultTop: number;
  readonly maxTop: number;
  readonly context: string;
  readonly expand?: (item: JsonObject, expand: string | undefined) => JsonObject;
  readonly expandable?: readonly string[];
  /** Directory resources answer a bad filter with `Request_UnsupportedQuery`, others with `BadRequest`. */
  readonly directory: boolean;
}

const DATE_OPS = ['ge', 'gt', 'le', 'lt', 'eq'] as const;

/** Reading service principals and their app role assignments (serviceprincipal-get, -list, -list-approleassignedto). */
const APPLICATION_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'];

function encodeToken(value: readonly number[]): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken(token: string, length: number): number[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === length && value.every((n) => Number.isInteger(n) && n >= 0))
      return value as number[];
  } catch {
    // Falls through to the error below: a mangled token is the client's bug.
  }
  throw new ODataQueryError(`Invalid $skiptoken value '${token}'.`);
}

/** Display names of Graph's well-known folder names (mailFolder resource, "Use well-known folder names"). */
const WELL_KNOWN_FOLDERS: Readonly<Record<string, string>> = {
  inbox: 'Inbox',
  archive: 'Archive',
  deleteditems: 'Deleted Items',
  junkemail: 'Junk Email',
  sentitems: 'Sent Items',
  drafts: 'Drafts',
  conversationhistory: 'Conversation History',
};

/** Graph v1.0 over a simulated tenant: paths, paging, `$select`, the `$filter` subset, `$expand`. */
export class GraphService {
  constructor(
    private readonly tenant: SimulatedTenant,
    /** Absolute base of nextLinks, e.g. `http://127.0.0.1:PORT/v1.0`. */
    private readonly baseUrl: string,
  ) {}

  /** Finds the route of a path, or undefined when the simulator does not serve it. */
  route(path: string): GraphRoute | undefined {
    const clean = path.replace(/\/+$/, '');
    switch (clean) {
      case '/users':
        return this.collectionRoute('directory', 'graph.users', ['User.Read.All', 'Directory.Read.All'], {
          filters: { accountEnabled: ['eq', 'ne'], userType: ['eq', 'ne'], userPrincipalName: ['eq'], id: ['eq'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'users',
          directory: true,
        });
      case '/reports/authenticationMethods/userRegistrationDetails':
        return this.collectionRoute('reports', 'graph.userRegistrationDetails', ['AuditLog.Read.All'], {
          filters: {
            isAdmin: ['eq'],
            isMfaRegistered: ['eq'],
            isMfaCapable: ['eq'],
            userType: ['eq'],
            userPrincipalName: ['eq'],
          },
          defaultTop: 100,
          maxTop: 999,
          context: 'reports/authenticationMethods/userRegistrationDetails',
          directory: false,
        });
      case '/identity/conditionalAccess/policies':
        return this.collectionRoute('conditionalAccess', 'graph.conditionalAccessPolicies', ['Policy.Read.All'], {
          filters: { state: ['eq', 'ne'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'identity/conditionalAccess/policies',
          directory: false,
        });
      case '/policies/identitySecurityDefaultsEnforcementPolicy':
        return {
          family: 'directory',
          source: 'graph.securityDefaults',
          permissions: ['Policy.Read.All'],
          serve: async (_request, query) => {
            if (query.filter !== undefined || query.top !== undefined || query.expand !== undefined) {
              return graphError(400, 'BadRequest', 'Only $select is supported on this singleton.');
            }
            const value = this.tenant.securityDefaults ?? {};
            return jsonResponse(200, {
              '@odata.context': `${this.baseUrl}/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity`,
              ...applySelect(value, query.select),
            });
          },
        };
      case '/policies/authenticationStrengthPolicies':
        return this.collectionRoute('directory', 'graph.authenticationStrengthPolicies', ['Policy.Read.All'], {
          filters: { policyType: ['eq'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'policies/authenticationStrengthPolicies',
          directory: false,
        });
      case '/roleManagement/directory/roleAssignments':
        return this.collectionRoute(
          'directory',
          'graph.roleAssignments',
          ['RoleManagement.Read.Directory', 'Directory.Read.All'],
          {
            filters: { roleDefinitionId: ['eq'], principalId: ['eq'], directoryScopeId: ['eq'] },
            defaultTop: 100,
            maxTop: 999,
            context: 'roleManagement/directory/roleAssignments',
            expandable: ['principal'],
            expand: (item, expand) => {
              const { principal, ...rest } = item;
              if (expand !== 'principal' || !isJsonObject(principal)) return rest;
              // `members` is our snapshot's record of a group's transitive members; Graph does not expand it.
              const { members: _members, ...plain } = principal;
              return { ...rest, principal: plain };
            },
            directory: true,
          },
        );
      case '/domains':
        return this.collectionRoute('directory', 'graph.domains', ['Domain.Read.All', 'Directory.Read.All'], {
          filters: { isVerified: ['eq'], isDefault: ['eq'], isInitial: ['eq'], id: ['eq'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'domains',
          directory: true,
        });
      case '/servicePrincipals':
        return this.collectionRoute('directory', 'graph.servicePrincipals', APPLICATION_READ, {
          filters: { appId: ['eq'], id: ['eq'], servicePrincipalType: ['eq'], accountEnabled: ['eq'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'servicePrincipals',
          directory: true,
        });
      case '/policies/authorizationPolicy':
        return {
          family: 'directory',
          source: 'graph.authorizationPolicy',
          permissions: ['Policy.Read.All', 'Policy.ReadWrite.Authorization'],
          serve: async (_request, query) => {
            if (query.filter !== undefined || query.top !== undefined || query.expand !== undefined) {
              return graphError(400, 'BadRequest', 'Only $select is supported on this singleton.');
            }
            // The one object, as v1.0 returns it (learn.microsoft.com/graph/api/authorizationpolicy-get).
            const value = this.tenant.singleton('graph.authorizationPolicy') ?? {};
            return jsonResponse(200, {
              '@odata.context': `${this.baseUrl}/$metadata#policies/authorizationPolicy/$entity`,
              ...applySelect(value, query.select),
            });
          },
        };
      case '/oauth2PermissionGrants':
        return this.collectionRoute(
          'directory',
          'graph.oauth2PermissionGrants',
          ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
          {
            filters: { consentType: ['eq'], clientId: ['eq'], resourceId: ['eq'], principalId: ['eq'] },
            defaultTop: 100,
            maxTop: 999,
            context: 'oauth2PermissionGrants',
            directory: true,
          },
        );
      case '/roleManagement/directory/roleDefinitions':
        return this.collectionRoute(
          'directory',
          'graph.roleDefinitions',
          ['RoleManagement.Read.Directory', 'Directory.Read.All'],
          {
            filters: { isBuiltIn: ['eq'], displayName: ['eq'], templateId: ['eq'] },
            defaultTop: 100,
            maxTop: 999,
            context: 'roleManagement/directory/roleDefinitions',
            directory: true,
          },
        );
      case '/identity/conditionalAccess/namedLocations':
        return this.collectionRoute('conditionalAccess', 'graph.namedLocations', ['Policy.Read.All'], {
          filters: { displayName: ['eq'] },
          defaultTop: 100,
          maxTop: 999,
          context: 'identity/conditionalAccess/namedLocations',
          directory: false,
        });
      case '/auditLogs/signIns':
        return {
          family: 'reports',
          source: 'graph.signIns',
          permissions: ['AuditLog.Read.All'],
          serve: (request, query) => this.serveSignIns(request, query),
        };
      case '/identityProtection/riskyUsers':
        return this.collectionRoute('identityProtection', 'graph.riskyUsers', ['IdentityRiskyUser.Read.All'], {
          filters: { riskState: ['eq', 'ne'], riskLevel: ['eq', 'ne'], riskLastUpdatedDateTime: [...DATE_OPS] },
          defaultTop: 20,
          maxTop: 500,
          context: 'identityProtection/riskyUsers',
          directory: false,
        });
      case '/identityProtection/riskDetections':
        return this.collectionRoute('identityProtection', 'graph.riskDetections', ['IdentityRiskEvent.Read.All'], {
          filters: {
            riskLevel: ['eq', 'ne'],
            riskState: ['eq', 'ne'],
            userId: ['eq'],
            detectedDateTime: [...DATE_OPS],
            activityDateTime: [...DATE_OPS],
          },
          defaultTop: 20,
          maxTop: 500,
          context: 'identityProtection/riskDetections',
          directory: false,
        });
      default:
        break;
    }
    const members = /^\/groups\/([^/]+)\/transitiveMembers(\/microsoft\.graph\.user)?$/i.exec(clean);
    if (members !== null) {
      const groupId = decodeURIComponent(members[1] ?? '').toLowerCase();
      return {
        family: 'directory',
        source: 'graph.roleAssignments',
        permissions: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'],
        serve: async (request, query) => {
          const found = this.tenant.groupMembers.get(groupId);
          if (found === undefined) {
            return graphError(
              404,
              'Request_ResourceNotFound',
              `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
            );
          }
          const items =
            members[2] === undefined ? found : found.filter((m) => m['@odata.type'] === '#microsoft.graph.user');
          return this.page(request, query, items, {
            filters: { accountEnabled: ['eq'] },
            defaultTop: 100,
            maxTop: 999,
            context: 'directoryObjects',
            directory: true,
          });
        },
      };
    }
    // A resource service principal, addressed by appId or by object ID (serviceprincipal-get), and
    // the app roles granted on it (serviceprincipal-list-approleassignedto).
    const principal = /^\/servicePrincipals(?:\(appId='([^']+)'\)|\/([^/(]+))(\/appRoleAssignedTo)?$/i.exec(clean);
    if (principal !== null) {
      const key = (principal[1] ?? principal[2] ?? '').toLowerCase();
      const byAppId = principal[1] !== undefined;
      const find = (): JsonObject | undefined =>
        (this.tenant.collection('graph.resourceServicePrincipals') ?? []).find(
          (sp) => String(byAppId ? sp.appId : sp.id).toLowerCase() === key,
        );
      const notFound = graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
      );
      if (principal[3] === undefined) {
        return {
          family: 'directory',
          source: 'graph.resourceServicePrincipals',
          permissions: APPLICATION_READ,
          serve: async (_request, query) => {
            const sp = find();
            if (sp === undefined) return notFound;
            return jsonResponse(200, {
              '@odata.context': `${this.baseUrl}/$metadata#servicePrincipals/$entity`,
              ...applySelect(sp, query.select),
            });
          },
        };
      }
      return {
        family: 'directory',
        source: 'graph.appRoleAssignedTo',
        permissions: APPLICATION_READ,
        serve: async (request, query) => {
          const sp = find();
          if (sp === undefined) return notFound;
          const id = String(sp.id).toLowerCase();
          const items = (this.tenant.collection('graph.appRoleAssignedTo') ?? []).filter(
            (a) => String(a.resourceId).toLowerCase() === id,
          );
          return this.page(request, query, items, {
            filters: { principalId: ['eq'], resourceId: ['eq'], principalDisplayName: ['eq'] },
            defaultTop: 100,
            maxTop: 999,
            context: `servicePrincipals('${id}')/appRoleAssignedTo`,
            directory: true,
          });
        },
      };
    }
    // One group by ID (the snapshot holds the groups Conditional Access policies name).
    const group = /^\/groups\/([^/]+)$/i.exec(clean);
    if (group !== null) {
      const groupId = decodeURIComponent(group[1] ?? '').toLowerCase();
      return {
        family: 'directory',
        source: 'graph.groups',
        permissions: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'],
        serve: async (_request, query) => {
          const found = (this.tenant.collection('graph.groups') ?? []).find(
            (g) => typeof g.id === 'string' && g.id.toLowerCase() === groupId,
          );
          if (found === undefined) {
            return graphError(
              404,
              'Request_ResourceNotFound',
              `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
            );
          }
          return jsonResponse(200, {
            '@odata.context': `${this.baseUrl}/$metadata#groups/$entity`,
            ...applySelect(found, query.select),
          });
        },
      };
    }
    const rules = /^\/users\/([^/]+)\/mailFolders(?:\/inbox|\('inbox'\))\/messageRules$/i.exec(clean);
    if (rules !== null) {
      const mailbox = decodeURIComponent(rules[1] ?? '').toLowerCase();
      return {
        family: 'outlook',
        source: 'graph.messageRules',
        permissions: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
        mailbox,
        serve: (request, query) => this.serveMessageRules(mailbox, request, query),
      };
    }
    // A mail folder by ID, named from the `folders` of the mailbox's messageRules line.
    const folder = /^\/users\/([^/]+)\/mailFolders\/([^/]+)$/i.exec(clean);
    if (folder !== null) {
      const mailbox = decodeURIComponent(folder[1] ?? '').toLowerCase();
      const folderId = decodeURIComponent(folder[2] ?? '');
      return {
        family: 'outlook',
        source: 'graph.messageRules',
        permissions: ['Mail.ReadBasic.All', 'Mail.Read'],
        mailbox,
        serve: () => this.serveMailFolder(mailbox, folderId),
      };
    }
    return undefined;
  }

  private collectionRoute(
    family: EndpointFamily,
    source: SourceId,
    permissions: readonly string[],
    options: CollectionOptions,
  ): GraphRoute {
    return {
      family,
      source,
      permissions,
      serve: async (request, query) => this.page(request, query, this.tenant.collection(source) ?? [], options),
    };
  }

  private queryError(error: unknown, directory: boolean): SimResponse {
    const message = error instanceof Error ? error.message : String(error);
    return graphError(400, directory ? 'Request_UnsupportedQuery' : 'BadRequest', message);
  }

  private nextLink(request: GraphRequest, token: string): string {
    const params = new URLSearchParams(request.params);
    params.delete('$skiptoken');
    params.delete('skiptoken');
    params.set('$skiptoken', token);
    return `${this.baseUrl}${request.path}?${params.toString()}`;
  }

  /** Pages an in-memory collection: `$skiptoken` carries the offset, `$top` the page size. */
  private page(
    request: GraphRequest,
    query: ODataQuery,
    items: readonly JsonObject[],
    options: CollectionOptions,
  ): Promise<SimResponse> {
    let clauses: readonly FilterClause[] = [];
    let offset = 0;
    try {
      if (query.top !== undefined && query.top > options.maxTop) {
        throw new ODataQueryError(
          `Invalid page size specified: '${query.top}'. Must be between 1 and ${options.maxTop} inclusive.`,
        );
      }
      if (query.expand !== undefined && !(options.expandable ?? []).includes(query.expand)) {
        throw new ODataQueryError(`Could not find a property named '${query.expand}' to expand.`);
      }
      if (query.orderby !== undefined) throw new ODataQueryError('$orderby is not supported by the simulated tenant.');
      if (query.filter !== undefined) clauses = parseFilter(query.filter, options.filters);
      if (query.skiptoken !== undefined) [offset = 0] = decodeToken(query.skiptoken, 1);
    } catch (error: unknown) {
      return Promise.resolve(this.queryError(error, options.directory));
    }
    const size = query.top ?? options.defaultTop;
    const value: JsonObject[] = [];
    let index = offset;
    for (; index < items.length && value.length < size; index++) {
      const item = items[index];
      if (item === undefined || !matchesFilter(item, clauses)) continue;
      const expanded = options.expand ? options.expand(item, query.expand) : item;
      const selected = applySelect(expanded, query.select);
      value.push(
        query.expand !== undefined && expanded.principal !== undefined
          ? { ...selected, principal: expanded.principal }
          : selected,
      );
    }
    while (index < items.length && !matchesFilter(items[index] ?? {}, clauses)) index++;
    const body: Record<string, unknown> = { '@odata.context': `${this.baseUrl}/$metadata#${options.context}` };
    if (index < items.length) body['@odata.nextLink'] = this.nextLink(request, encodeToken([index]));
    body.value = value;
    return Promise.resolve(jsonResponse(200, body));
  }

  /**
   * Sign-ins are read from the JSON Lines log by (line, item) cursor, so a 2-million-event
   * window is paged without loading it; lines outside the `createdDateTime` window are skipped
   * on their recorded time span.
   */
  private async serveSignIns(request: GraphRequest, query: ODataQuery): Promise<SimResponse> {
    const log = this.tenant.signIns;
    let clauses: readonly FilterClause[] = [];
    let line = 0;
    let item = 0;
    try {
      if (query.top !== undefined && query.top > 1000) {
        throw new ODataQueryError(`Invalid page size specified: '${query.top}'. Must be between 1 and 1000 inclusive.`);
      }
      if (query.expand !== undefined || query.orderby !== undefined)
        throw new ODataQueryError('$expand and $orderby are not supported on signIns.');
      if (query.filter !== undefined) {
        clauses = parseFilter(query.filter, {
          createdDateTime: [...DATE_OPS],
          userId: ['eq'],
          userPrincipalName: ['eq'],
          clientAppUsed: ['eq'],
          ipAddress: ['eq'],
          'status/errorCode': ['eq', 'ne'],
        });
      }
      if (query.skiptoken !== undefined) [line = 0, item = 0] = decodeToken(query.skiptoken, 2);
    } catch (error: unknown) {
      return this.queryError(error, false);
    }
    const size = query.top ?? 1000;
    const value: JsonObject[] = [];
    const lines = log?.lines ?? [];
    const timeClauses = clauses.filter((c) => c.property === 'createdDateTime' && c.isDateTime);
    const lineCanMatch = (index: number): boolean => {
      const summary = lines[index];
      if (summary === undefined) return false;
      return timeClauses.every((c) => {
        const t = Date.parse(String(c.value));
        switch (c.operator) {
          case 'ge':
            return summary.newest >= t;
          case 'gt':
            return summary.newest > t;
          case 'le':
            return summary.oldest <= t;
          case 'lt':
            return summary.oldest < t;
          case 'eq':
            return summary.oldest <= t && t <= summary.newest;
          default:
            return true;
        }
      });
    };
    while (log !== undefined && line < lines.length && value.length < size) {
      if (!lineCanMatch(line)) {
        line++;
        item = 0;
        continue;
      }
      const page = await log.file.line(line);
      const events = Array.isArray(page.value) ? page.value : [];
      for (; item < events.length && value.length < size; item++) {
        const raw = events[item];
        // Served as of the simulator's "now": the event's times move before the filter sees them.
        const event = isJsonObject(raw) ? this.tenant.shift.object(raw) : undefined;
        if (event !== undefined && matchesFilter(event, clauses)) value.push(applySelect(event, query.select));
      }
      if (item >= events.length) {
        line++;
        item = 0;
      }
    }
    while (line < lines.length && !lineCanMatch(line)) {
      line++;
      item = 0;
    }
    const body: Record<string, unknown> = { '@odata.context': `${this.baseUrl}/$metadata#auditLogs/signIns` };
    if (line < lines.length) body['@odata.nextLink'] = this.nextLink(request, encodeToken([line, item]));
    body.value = value;
    return jsonResponse(200, body);
  }

  private async serveMailFolder(mailbox: string, folderId: string): Promise<SimResponse> {
    const log = this.tenant.messageRules;
    const index = log?.byUser.get(mailbox);
    const line = log === undefined || index === undefined ? undefined : await log.file.line(index);
    if (line === undefined || line.status === 404) {
      return this.tenant.users.has(mailbox)
        ? graphError(
            404,
            'MailboxNotEnabledForRESTAPI',
            'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
          )
        : graphError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    }
    const folders = isJsonObject(line.folders) ? line.folders : {};
    const name = folders[folderId] ?? WELL_KNOWN_FOLDERS[folderId.toLowerCase()];
    if (typeof name !== 'string')
      return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return jsonResponse(200, {
      '@odata.context': `${this.baseUrl}/$metadata#users('${mailbox}')/mailFolders/$entity`,
      id: folderId,
      displayName: name,
    });
  }

  private async serveMessageRules(mailbox: string, request: GraphRequest, query: ODataQuery): Promise<SimResponse> {
    const log = this.tenant.messageRules;
    const index = log?.byUser.get(mailbox);
    if (log === undefined || index === undefined) {
      if (this.tenant.users.has(mailbox)) {
        return graphError(
          404,
          'MailboxNotEnabledForRESTAPI',
          'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
        );
      }
      return graphError(404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    }
    const line = await log.file.line(index);
    const status = typeof line.status === 'number' ? line.status : 500;
    const body = isJsonObject(line.body) ? line.body : {};
    if (status !== 200) return { status, headers: { 'content-type': 'application/json' }, body };
    const rules = Array.isArray(body.value)
      ? body.value.filter(isJsonObject).map((rule) => this.tenant.shift.object(rule))
      : [];
    return this.page(request, query, rules, {
      filters: { isEnabled: ['eq'] },
      defaultTop: 100,
      maxTop: 1000,
      context: `users('${mailbox}')/mailFolders('inbox')/messageRules`,
      directory: false,
    });
  }

  /** Parses the query options and serves a routed request. */
  async serve(route: GraphRoute, request: GraphRequest): Promise<SimResponse> {
    let query: ODataQuery;
    try {
      query = readQuery(request.params);
    } catch (error: unknown) {
      return this.queryError(error, route.family === 'directory');
    }
    return route.serve(request, query);
  }
}
