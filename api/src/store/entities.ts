/** Every entity of the store, in one list for MikroORM and the schema check. */
import { AuditEventEntity } from '../modules/audit/audit-event.entity.ts';
import { GroupMembershipEntity, UserGroupEntity } from '../modules/groups/user-group.entity.ts';
import { ApiKeyEntity } from '../modules/identity/api-key.entity.ts';
import { SessionEntity } from '../modules/identity/session.entity.ts';
import { UserEntity } from '../modules/identity/user.entity.ts';
import { OrganizationEntity } from '../modules/orgs/organization.entity.ts';

export const ENTITIES = [
  OrganizationEntity,
  UserEntity,
  SessionEntity,
  ApiKeyEntity,
  UserGroupEntity,
  GroupMembershipEntity,
  AuditEventEntity,
];
