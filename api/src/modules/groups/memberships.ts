import type { EntityManager } from '../../store/store.ts';
import { GroupMembershipEntity } from './user-group.entity.ts';

/** The ids of the groups `userId` belongs to, read in the caller's transaction. */
export async function groupIdsOf(em: EntityManager, userId: string): Promise<string[]> {
  return (await em.find(GroupMembershipEntity, { userId }, { fields: ['groupId'] })).map((m) => m.groupId);
}
