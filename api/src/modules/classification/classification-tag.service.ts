/**
 * Data classification tags (FEATURES C9): a column tag derives a masking policy when the column has none
 * (PII, GDPR, FINANCIAL → PARTIAL; PCI, PHI → FULL; SENSITIVE → HASH); deleting the tag keeps that policy.
 * Tags are what the risk rules read as classified tables and columns.
 */
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import { MaskingPolicyEntity, type MaskingPolicy } from '../masking/masking-policy.entity.ts';
import { ClassificationTagEntity, type ClassificationTag, type DataClassification } from './classification-tag.entity.ts';

export const DERIVED_STRATEGY: Record<DataClassification, MaskingPolicy['strategy']> = {
  PII: 'PARTIAL',
  GDPR: 'PARTIAL',
  FINANCIAL: 'PARTIAL',
  PCI: 'FULL',
  PHI: 'FULL',
  SENSITIVE: 'HASH',
};

export interface UpsertClassificationTagInput {
  datasourceId: string;
  tableName: string;
  columnName?: string | null;
  classification: DataClassification;
}

/** What the risk rules see: tags by table and the set of classified column refs. */
export interface Classified {
  tables: Map<string, string[]>;
  columns: Set<string>;
}

export class ClassificationTagService extends AuditedService {
  async list(actor: Actor, datasourceId: string | null, offset: number, limit: number): Promise<ClassificationTag[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(ClassificationTagEntity, datasourceId ? { datasourceId } : {}, { orderBy: { tableName: 'asc', columnName: 'asc', classification: 'asc' }, offset, limit }),
    );
  }

  /** Several by id in one transaction (missing ones are left out). */
  async getMany(actor: Actor, ids: readonly string[]): Promise<ClassificationTag[]> {
    return this.store.tenant(actor.orgId, (em) => em.find(ClassificationTagEntity, { id: { $in: [...ids] } }));
  }

  /** Idempotent: tagging what is already tagged returns the existing tag and writes nothing. */
  async upsert(actor: Actor, origin: Origin, input: UpsertClassificationTagInput): Promise<ClassificationTag> {
    const tableName = input.tableName.trim().toLowerCase();
    const columnName = (input.columnName ?? '').trim().toLowerCase();
    if (!/^[^.\s]+(\.[^.\s]+)?$/.test(tableName) || (columnName !== '' && !/^[^.\s]+$/.test(columnName))) {
      throw new ValidationError('tableName: schema.table or table; columnName: one column', [{ path: 'tableName', message: 'schema.table or table' }]);
    }
    return this.store.tenant(actor.orgId, async (em) => {
      if (!(await em.findOne(DatasourceEntity, { id: input.datasourceId }))) throw new NotFoundError('Datasource', input.datasourceId);
      const key = { datasourceId: input.datasourceId, tableName, columnName, classification: input.classification };
      const existing = await em.findOne(ClassificationTagEntity, key);
      if (existing) return existing;
      const tag = em.create(ClassificationTagEntity, { organizationId: actor.orgId, ...key });
      const columnRef = `${tableName}.${columnName}`;
      const derive = columnName !== '' && !(await em.findOne(MaskingPolicyEntity, { datasourceId: input.datasourceId, columnRef }));
      const derived = derive
        ? em.create(MaskingPolicyEntity, { organizationId: actor.orgId, datasourceId: input.datasourceId, columnRef, strategy: DERIVED_STRATEGY[input.classification] })
        : null;
      await flushOrConflict(em, 'this classification tag already exists');
      const by = auditOriginOf(actor, origin);
      await this.audit.append(em, actor.orgId, by, {
        action: 'CLASSIFICATION_TAG_CREATED',
        targetType: 'ClassificationTag',
        targetId: tag.id,
        metadata: { ...key, derivedMaskingPolicyId: derived?.id ?? null },
      });
      if (derived) {
        await this.audit.append(em, actor.orgId, by, {
          action: 'MASKING_POLICY_CREATED',
          targetType: 'MaskingPolicy',
          targetId: derived.id,
          metadata: { columnRef, strategy: derived.strategy, derivedFromTagId: tag.id },
        });
      }
      return tag;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const tag = await em.findOne(ClassificationTagEntity, { id });
      if (!tag) throw new NotFoundError('ClassificationTag', id);
      em.remove(tag);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'CLASSIFICATION_TAG_DELETED',
        targetType: 'ClassificationTag',
        targetId: id,
        metadata: { datasourceId: tag.datasourceId, tableName: tag.tableName, columnName: tag.columnName, classification: tag.classification },
      });
      return id;
    });
  }

  async classifiedOf(em: EntityManager, datasourceId: string): Promise<Classified> {
    const tags = await em.find(ClassificationTagEntity, { datasourceId });
    const tables = new Map<string, string[]>();
    const columns = new Set<string>();
    for (const tag of tags) {
      tables.set(tag.tableName, [...(tables.get(tag.tableName) ?? []), tag.classification]);
      if (tag.columnName) columns.add(`${tag.tableName}.${tag.columnName}`);
    }
    return { tables, columns };
  }
}
