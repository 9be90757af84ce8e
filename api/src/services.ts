/** The services of one running server, wired once in app.ts and handed to resolvers through the context. */
import type { Bus } from './bus/bus.ts';
import type { Config } from './config.ts';
import type { Keys } from './keys.ts';
import type { Logger } from './logger.ts';
import { AiConfigService } from './modules/ai/ai-config.service.ts';
import { AiReviewService } from './modules/ai/ai-review.service.ts';
import { AccessRequestService } from './modules/access/access-request.service.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { ClassificationTagService } from './modules/classification/classification-tag.service.ts';
import { DatasourceService } from './modules/datasources/datasource.service.ts';
import { ExplorerService } from './modules/explorer/explorer.service.ts';
import { GrantService } from './modules/grants/grant.service.ts';
import { GroupService } from './modules/groups/group.service.ts';
import { HealthService } from './modules/health/health.service.ts';
import { ApiKeyService } from './modules/identity/api-key.service.ts';
import { AuthService } from './modules/identity/auth.service.ts';
import { UserService } from './modules/identity/user.service.ts';
import { MaskingPolicyService } from './modules/masking/masking-policy.service.ts';
import { NotificationService } from './modules/notifications/notification.service.ts';
import { OrganizationService } from './modules/orgs/organization.service.ts';
import { RequestGroupService } from './modules/requestgroups/request-group.service.ts';
import { QueryRequestService } from './modules/requests/query-request.service.ts';
import { SqlAnalysisService } from './modules/requests/sql-analysis.service.ts';
import { ReviewPlanService } from './modules/review/review-plan.service.ts';
import { RoutingPolicyService } from './modules/routing/routing-policy.service.ts';
import { QueryTemplateService } from './modules/templates/query-template.service.ts';
import { RowSecurityPolicyService } from './modules/rowsecurity/row-security-policy.service.ts';
import type { Store } from './store/store.ts';

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  bus: Bus;
  audit: AuditService;
  auth: AuthService;
  users: UserService;
  apiKeys: ApiKeyService;
  groups: GroupService;
  orgs: OrganizationService;
  reviewPlans: ReviewPlanService;
  datasources: DatasourceService;
  grants: GrantService;
  maskingPolicies: MaskingPolicyService;
  queryRequests: QueryRequestService;
  explorer: ExplorerService;
  health: HealthService;
  sqlAnalysis: SqlAnalysisService;
  rowSecurity: RowSecurityPolicyService;
  classificationTags: ClassificationTagService;
  routingPolicies: RoutingPolicyService;
  accessRequests: AccessRequestService;
  requestGroups: RequestGroupService;
  queryTemplates: QueryTemplateService;
  aiConfigs: AiConfigService;
  aiReviews: AiReviewService;
  notifications: NotificationService;
}

export function createServices(deps: { config: Config; log: Logger; store: Store; bus: Bus; keys: Keys }): Services {
  const { config, log, store, bus, keys } = deps;
  const audit = new AuditService(store, bus, keys.auditHmac);
  const auth = new AuthService(store, audit, keys.jwtSigning, config);
  const users = new UserService(store, audit);
  const datasources = new DatasourceService(store, audit, keys.encryption);
  const grants = new GrantService(store, audit);
  const maskingPolicies = new MaskingPolicyService(store, audit);
  const rowSecurity = new RowSecurityPolicyService(store, audit);
  const classificationTags = new ClassificationTagService(store, audit);
  const routingPolicies = new RoutingPolicyService({ store, audit, datasources, grants, classificationTags });
  const aiConfigs = new AiConfigService(store, audit, keys.encryption);
  const queryRequests = new QueryRequestService({ store, audit, bus, datasources, grants, masking: maskingPolicies, rowSecurity, classificationTags, routingPolicies, maskingKey: keys.maskingHash });
  const explorer = new ExplorerService({ store, audit, datasources, grants, masking: maskingPolicies, queryRequests });
  return {
    config,
    log,
    store,
    bus,
    audit,
    auth,
    users,
    apiKeys: new ApiKeyService(store, audit, users),
    groups: new GroupService(store, audit),
    orgs: new OrganizationService(store, audit, auth),
    reviewPlans: new ReviewPlanService(store, audit),
    datasources,
    grants,
    maskingPolicies,
    queryRequests,
    explorer,
    health: new HealthService(store, datasources),
    sqlAnalysis: new SqlAnalysisService({ store, grants, classificationTags }),
    rowSecurity,
    classificationTags,
    routingPolicies,
    accessRequests: new AccessRequestService(store, audit),
    requestGroups: new RequestGroupService({ store, audit, bus, requests: queryRequests }),
    queryTemplates: new QueryTemplateService({ store, audit, queryRequests }),
    aiConfigs,
    aiReviews: new AiReviewService({ store, audit, log, aiConfigs, queryRequests, explorer }),
    notifications: new NotificationService(store, audit, keys.encryption, { ...config.notifications, publicUrl: config.publicUrl }, log),
  };
}
