/**
 * Row-security policies (FEATURES C8): upsert by (datasource, table, column, operator), delete, and the
 * predicates that apply to one person with their `user.*` variables resolved.
 */
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { UserGroupEntity } from '../groups/user-group.entity.ts';
import type { Role } from '../identity/permissions.ts';
import { UserEntity } from '../identity/user.entity.ts';
import type { RowPredicate } from './rewrite.ts';
import { RowSecurityPolicyEntity, type RowSecurityPolicy } from './row-security-policy.entity.ts';

export interface UpsertRowSecurityPolicyInput {
  datasourceId: string;
  tableName: string;
  columnName: string;
  operator: RowSecurityPolicy['operator'];
  valueType: RowSecurityPolicy['valueType'];
  valueExpression: string;
  appliesToRoles?: Role[] | null;
  appliesToGroupIds?: string[] | null;
  appliesToUserIds?: string[] | null;
  enabled?: boolean | null;
}

const TABLE_NAME = /^[^.\s]+(\.[^.\s]+)?$/;
const VARIABLE = /^user\.[A-Za-z_][A-Za-z0-9_]*$/;

export class RowSecurityPolicyService extends AuditedService {
  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<RowSecurityPolicy[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(RowSecurityPolicyEntity, { id: { $in: [...ids] } }));
  }

  async get(actor: Actor, id: string): Promise<RowSecurityPolicy | null> {
    return this.store.tenant(actor.orgId, (em) => em.findOne(RowSecurityPolicyEntity, { id }));
  }

  async list(actor: Actor, datasourceId: string | null, offset: number, limit: number): Promise<RowSecurityPolicy[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(RowSecurityPolicyEntity, datasourceId ? { datasourceId } : {}, { orderBy: { tableName: 'asc', columnName: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  async upsert(actor: Actor, origin: Origin, input: UpsertRowSecurityPolicyInput): Promise<RowSecurityPolicy> {
    const tableName = input.tableName.trim().toLowerCase();
    const columnName = input.columnName.trim().toLowerCase();
    // Stored canonical: `:user.email` and `user.email` mean the same variable.
    const valueExpression = input.valueType === 'VARIABLE' ? input.valueExpression.trim().replace(/^:/, '') : input.valueExpression;
    const issues: { path: string; message: string }[] = [];
    if (!TABLE_NAME.test(tableName)) issues.push({ path: 'tableName', message: 'use schema.table or table' });
    if (!/^[^.\s]+$/.test(columnName)) issues.push({ path: 'columnName', message: 'a single column name' });
    if (input.valueType === 'VARIABLE' && !VARIABLE.test(valueExpression)) issues.push({ path: 'valueExpression', message: 'a variable is user.id, user.email, user.role, user.groups or user.<attribute>' });
    if (input.valueType === 'VARIABLE' && valueExpression === 'user.groups' && input.operator !== 'IN' && input.operator !== 'NOT_IN') {
      issues.push({ path: 'operator', message: 'user.groups is a list: use IN or NOT_IN' });
    }
    if (issues.length > 0) throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
    return this.store.tenant(actor.orgId, async (em) => {
      if (!(await em.findOne(DatasourceEntity, { id: input.datasourceId }))) throw new NotFoundError('Datasource', input.datasourceId);
      const key = { datasourceId: input.datasourceId, tableName, columnName, operator: input.operator };
      let policy = await em.findOne(RowSecurityPolicyEntity, key);
      const created = policy === null;
      policy ??= em.create(RowSecurityPolicyEntity, { organizationId: actor.orgId, ...key, valueType: input.valueType, valueExpression });
      em.assign(policy, {
        valueType: input.valueType,
        valueExpression,
        appliesToRoles: input.appliesToRoles ?? [],
        appliesToGroupIds: input.appliesToGroupIds ?? [],
        appliesToUserIds: input.appliesToUserIds ?? [],
        enabled: input.enabled ?? true,
      });
      await flushOrConflict(em, 'a row-security policy for this table, column and operator already exists');
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'ROW_SECURITY_POLICY_CREATED' : 'ROW_SECURITY_POLICY_UPDATED',
        targetType: 'RowSecurityPolicy',
        targetId: policy.id,
        metadata: { ...input, tableName, columnName, valueExpression },
      });
      return policy;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const policy = await em.findOne(RowSecurityPolicyEntity, { id });
      if (!policy) throw new NotFoundError('RowSecurityPolicy', id);
      em.remove(policy);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'ROW_SECURITY_POLICY_DELETED',
        targetType: 'RowSecurityPolicy',
        targetId: id,
        metadata: { datasourceId: policy.datasourceId, tableName: policy.tableName, columnName: policy.columnName },
      });
      return id;
    });
  }

  /** The enabled predicates of a datasource that apply to `userId`, with variables resolved (unresolved → null). */
  async predicatesFor(em: EntityManager, datasourceId: string, userId: string, groupIds: readonly string[]): Promise<RowPredicate[]> {
    const policies = await em.find(RowSecurityPolicyEntity, { datasourceId, enabled: true });
    if (policies.length === 0) return [];
    const user = await em.findOneOrFail(UserEntity, { id: userId });
    const groupNames = groupIds.length ? (await em.find(UserGroupEntity, { id: { $in: [...groupIds] } }, { fields: ['name'] })).map((g) => g.name) : [];
    const variables: Record<string, string[]> = {
      'user.id': [user.id],
      'user.email': [user.email],
      'user.role': [user.role],
      'user.groups': groupNames,
      ...Object.fromEntries(Object.entries(user.attributes).map(([key, value]) => [`user.${key.toLowerCase()}`, [value]])),
    };
    const applies = (p: RowSecurityPolicy) =>
      (p.appliesToRoles.length === 0 && p.appliesToGroupIds.length === 0 && p.appliesToUserIds.length === 0) ||
      p.appliesToRoles.includes(user.role) ||
      p.appliesToUserIds.includes(user.id) ||
      p.appliesToGroupIds.some((id) => groupIds.includes(id));
    return policies.filter(applies).map((p) => {
      const [schema, name] = p.tableName.includes('.') ? (p.tableName.split('.') as [string, string]) : [null, p.tableName];
      const literal = p.operator === 'IN' || p.operator === 'NOT_IN' ? p.valueExpression.split(',').map((v) => v.trim()) : [p.valueExpression];
      return {
        policyId: p.id,
        table: { schema, name },
        column: p.columnName,
        operator: p.operator,
        values: p.valueType === 'LITERAL' ? literal : (variables[p.valueExpression.toLowerCase()] ?? null),
      };
    });
  }
}
