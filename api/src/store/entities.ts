/** Every entity of the store, in one list for MikroORM and the schema check. */
import { AccessDecisionEntity, AccessRequestEntity } from '../modules/access/access-request.entity.ts';
import { AiConfigEntity } from '../modules/ai/ai-config.entity.ts';
import { AiReviewEntity } from '../modules/ai/ai-review.entity.ts';
import { AuditEventEntity } from '../modules/audit/audit-event.entity.ts';
import { ClassificationTagEntity } from '../modules/classification/classification-tag.entity.ts';
import { DatasourceEntity } from '../modules/datasources/datasource.entity.ts';
import { GrantEntity } from '../modules/grants/grant.entity.ts';
import { GroupMembershipEntity, UserGroupEntity } from '../modules/groups/user-group.entity.ts';
import { ApiKeyEntity } from '../modules/identity/api-key.entity.ts';
import { SessionEntity } from '../modules/identity/session.entity.ts';
import { UserEntity } from '../modules/identity/user.entity.ts';
import { MaskingPolicyEntity } from '../modules/masking/masking-policy.entity.ts';
import { NotificationChannelEntity, NotificationCursorEntity, NotificationDeliveryEntity } from '../modules/notifications/notification-channel.entity.ts';
import { OrganizationEntity } from '../modules/orgs/organization.entity.ts';
import { QueryRequestEntity, ReviewDecisionEntity } from '../modules/requests/query-request.entity.ts';
import { RequestGroupEntity } from '../modules/requestgroups/request-group.entity.ts';
import { ReviewPlanEntity } from '../modules/review/review-plan.entity.ts';
import { RoutingPolicyEntity } from '../modules/routing/routing-policy.entity.ts';
import { QueryTemplateEntity, QueryTemplateVersionEntity } from '../modules/templates/query-template.entity.ts';
import { RowSecurityPolicyEntity } from '../modules/rowsecurity/row-security-policy.entity.ts';

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  SessionEntity,
  ApiKeyEntity,
  UserGroupEntity,
  GroupMembershipEntity,
  AuditEventEntity,
  ReviewPlanEntity,
  DatasourceEntity,
  GrantEntity,
  MaskingPolicyEntity,
  RequestGroupEntity,
  QueryRequestEntity,
  ReviewDecisionEntity,
  RowSecurityPolicyEntity,
  ClassificationTagEntity,
  RoutingPolicyEntity,
  AccessRequestEntity,
  AccessDecisionEntity,
  QueryTemplateEntity,
  QueryTemplateVersionEntity,
  AiConfigEntity,
  AiReviewEntity,
  NotificationChannelEntity,
  NotificationDeliveryEntity,
  NotificationCursorEntity,
];
