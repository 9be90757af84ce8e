/**
 * Query templates (FEATURES C12): upsert by (owner, name) with a new immutable version whenever the text
 * changes, restore (a new version with an old text), delete, and submission with bound parameters through the
 * ordinary governed `submit`, so a template is never a way around classification, grants, routing or review.
 */
import { createTwoFilesPatch } from 'diff';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Actor, Origin } from '../../graphql/context.ts';
import { flushOrConflict, type EntityManager } from '../../store/store.ts';
import { auditOriginOf } from '../audit/audit.service.ts';
import { AuditedService } from '../audit/audited-service.ts';
import { DatasourceEntity } from '../datasources/datasource.entity.ts';
import type { QueryRequest } from '../requests/query-request.entity.ts';
import type { QueryRequestService } from '../requests/query-request.service.ts';
import { bindPlaceholders, findPlaceholders, placeholderNames } from './placeholders.ts';
import {
  QueryTemplateEntity,
  QueryTemplateVersionEntity,
  TEMPLATE_VISIBILITIES,
  type QueryTemplate,
  type QueryTemplateVersion,
  type TemplateVisibility,
} from './query-template.entity.ts';

export interface UpsertQueryTemplateInput {
  name: string;
  description?: string | null;
  body: string;
  visibility?: TemplateVisibility | null;
  datasourceId?: string | null;
}

export interface SubmitFromTemplateInput {
  templateId: string;
  /** The current version when left out. */
  version?: number | null;
  parameters?: Record<string, unknown> | null;
  justification?: string | null;
  clientRequestId?: string | null;
  /** Required when the template is not pinned to a datasource; otherwise it overrides the pin. */
  datasourceId?: string | null;
  scheduledFor?: Date | null;
  execute?: boolean | null;
}

export type TemplateScope = 'ALL' | 'MINE' | 'TEAM';

/** As for submitQuery. */
const MAX_QUERY_LENGTH = 100_000;

const upsertSchema = z.object({
  name: z.string().trim().min(1, 'required').max(200),
  description: z.string().max(2000).nullish(),
  body: z.string().max(MAX_QUERY_LENGTH).refine((b) => b.trim().length > 0, 'must not be empty'),
  visibility: z.enum(TEMPLATE_VISIBILITIES).nullish(),
  datasourceId: z.uuid().nullish(),
});

function validated(input: UpsertQueryTemplateInput) {
  const parsed = upsertSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || 'input', message: i.message }));
  throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

export class QueryTemplateService extends AuditedService {
  private readonly queryRequests: QueryRequestService;

  constructor(deps: { store: QueryTemplateService['store']; audit: QueryTemplateService['audit']; queryRequests: QueryRequestService }) {
    super(deps.store, deps.audit);
    this.queryRequests = deps.queryRequests;
  }

  /** Several by id in one transaction: those the caller owns or that are shared with the team. */
  async getMany(actor: Actor, ids: readonly string[]): Promise<QueryTemplate[]> {
    return this.store.tenant(actor.orgId, (em) =>
      em.find(QueryTemplateEntity, { id: { $in: [...ids] }, $or: [{ ownerId: actor.userId }, { visibility: 'TEAM' as const }] }),
    );
  }

  async list(actor: Actor, filter: { scope: TemplateScope; datasourceId: string | null }, offset: number, limit: number): Promise<QueryTemplate[]> {
    const mine = { ownerId: actor.userId };
    const team = { visibility: 'TEAM' as const };
    const scope = filter.scope === 'MINE' ? mine : filter.scope === 'TEAM' ? team : { $or: [mine, team] };
    return this.store.tenant(actor.orgId, (em) =>
      em.find(QueryTemplateEntity, { ...scope, ...(filter.datasourceId ? { datasourceId: filter.datasourceId } : {}) }, { orderBy: { name: 'asc', id: 'asc' }, offset, limit }),
    );
  }

  /** Every version of templates the caller may see, newest first. */
  async versions(actor: Actor, templateId: string): Promise<QueryTemplateVersion[]> {
    return this.store.tenant(actor.orgId, async (em) => {
      if (!(await this.visible(em, actor, templateId))) return [];
      return em.find(QueryTemplateVersionEntity, { templateId }, { orderBy: { version: 'desc' } });
    });
  }

  /** A unified diff (git style) from one version's text to another's, of a template the caller may see. */
  async diff(actor: Actor, input: { templateId: string; fromVersion: number; toVersion: number }): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const template = await this.visible(em, actor, input.templateId);
      if (!template) throw new NotFoundError('QueryTemplate', input.templateId);
      const body = async (version: number) => {
        const row = await em.findOne(QueryTemplateVersionEntity, { templateId: template.id, version });
        if (!row) throw new NotFoundError('QueryTemplateVersion', `${template.id}@${version}`);
        return row.body.endsWith('\n') ? row.body : `${row.body}\n`;
      };
      const [from, to] = [await body(input.fromVersion), await body(input.toVersion)];
      return createTwoFilesPatch(`${template.name}@${input.fromVersion}`, `${template.name}@${input.toVersion}`, from, to, undefined, undefined, { context: 3 });
    });
  }

  /** By (caller, name): creates the template, or updates it; a changed body becomes a new version. */
  async upsert(actor: Actor, origin: Origin, input: UpsertQueryTemplateInput): Promise<QueryTemplate> {
    const values = validated(input);
    return this.store.tenant(actor.orgId, async (em) => {
      const datasource = values.datasourceId ? await em.findOne(DatasourceEntity, { id: values.datasourceId }) : null;
      if (values.datasourceId && !datasource) throw new NotFoundError('Datasource', values.datasourceId);
      // Placeholders as the pinned datasource's dialect reads them; PostgreSQL's rules otherwise.
      const placeholders = placeholderNames(await findPlaceholders(datasource?.dbType ?? 'POSTGRESQL', values.body));
      let template = await em.findOne(QueryTemplateEntity, { ownerId: actor.userId, name: values.name });
      const created = template === null;
      const current = template ? await em.findOne(QueryTemplateVersionEntity, { templateId: template.id, version: template.currentVersion }) : null;
      template ??= em.create(QueryTemplateEntity, { organizationId: actor.orgId, ownerId: actor.userId, name: values.name, currentVersion: 1 });
      em.assign(template, { description: values.description ?? null, visibility: values.visibility ?? 'PRIVATE', datasourceId: values.datasourceId ?? null });
      const changed = current?.body !== values.body;
      if (changed) template.currentVersion = current ? current.version + 1 : 1;
      // The template row first: its id is assigned when it is written.
      await flushOrConflict(em, `you already have a template named "${values.name}"`);
      if (changed) {
        em.create(QueryTemplateVersionEntity, {
          organizationId: actor.orgId,
          templateId: template.id,
          version: template.currentVersion,
          body: values.body,
          placeholders,
          createdById: actor.userId,
        });
        await em.flush();
      }
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: created ? 'QUERY_TEMPLATE_CREATED' : 'QUERY_TEMPLATE_UPDATED',
        targetType: 'QueryTemplate',
        targetId: template.id,
        metadata: { name: values.name, visibility: template.visibility, datasourceId: template.datasourceId ?? null, version: template.currentVersion, newVersion: changed, placeholders },
      });
      return template;
    });
  }

  /** A new version carrying an earlier version's text; history is kept. The owner only. */
  async restore(actor: Actor, origin: Origin, input: { templateId: string; version: number }): Promise<QueryTemplate> {
    return this.store.tenant(actor.orgId, async (em) => {
      const template = await this.owned(em, actor, input.templateId);
      const old = await em.findOne(QueryTemplateVersionEntity, { templateId: template.id, version: input.version });
      if (!old) throw new NotFoundError('QueryTemplateVersion', `${template.id}@${input.version}`);
      template.currentVersion += 1;
      em.create(QueryTemplateVersionEntity, {
        organizationId: actor.orgId,
        templateId: template.id,
        version: template.currentVersion,
        body: old.body,
        placeholders: old.placeholders,
        createdById: actor.userId,
        restoredFrom: old.version,
      });
      await em.flush();
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'QUERY_TEMPLATE_RESTORED',
        targetType: 'QueryTemplate',
        targetId: template.id,
        metadata: { restoredFrom: old.version, version: template.currentVersion },
      });
      return template;
    });
  }

  async delete(actor: Actor, origin: Origin, id: string): Promise<string> {
    return this.store.tenant(actor.orgId, async (em) => {
      const template = await this.owned(em, actor, id);
      em.remove(template);
      await this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
        action: 'QUERY_TEMPLATE_DELETED',
        targetType: 'QueryTemplate',
        targetId: id,
        metadata: { name: template.name, versions: template.currentVersion },
      });
      return id;
    });
  }

  /**
   * Binds the parameters into one version's text as literals and submits the result like any query (the same
   * classification, grants, risk, routing and review); an unbound or unknown placeholder is refused first.
   */
  async submit(actor: Actor, origin: Origin, input: SubmitFromTemplateInput): Promise<QueryRequest> {
    const startedAt = new Date();
    const { template, body, version, dbType, datasourceId } = await this.store.tenant(actor.orgId, async (em) => {
      const template = await this.visible(em, actor, input.templateId);
      if (!template) throw new NotFoundError('QueryTemplate', input.templateId);
      const version = input.version ?? template.currentVersion;
      const row = await em.findOne(QueryTemplateVersionEntity, { templateId: template.id, version });
      if (!row) throw new NotFoundError('QueryTemplateVersion', `${template.id}@${version}`);
      const datasourceId = input.datasourceId ?? template.datasourceId ?? null;
      if (!datasourceId) {
        throw new ValidationError('datasourceId: the template is not pinned to a datasource; name one', [{ path: 'datasourceId', message: 'required for an unpinned template' }]);
      }
      const datasource = await em.findOne(DatasourceEntity, { id: datasourceId });
      if (!datasource) throw new NotFoundError('Datasource', datasourceId);
      return { template, body: row.body, version, dbType: datasource.dbType, datasourceId };
    });
    const query = await bindPlaceholders(dbType, body, input.parameters ?? {});
    if (query.length > MAX_QUERY_LENGTH) {
      throw new ValidationError(`parameters: the bound query is longer than ${MAX_QUERY_LENGTH} characters`, [{ path: 'parameters', message: 'bound query too long' }]);
    }
    const request = await this.queryRequests.submit(actor, origin, {
      datasourceId,
      query,
      justification: input.justification ?? null,
      clientRequestId: input.clientRequestId ?? null,
      scheduledFor: input.scheduledFor ?? null,
      execute: input.execute ?? null,
    });
    // A repeated clientRequestId returns the earlier request: its provenance is already recorded.
    if (request.createdAt >= startedAt) {
      await this.store.tenant(actor.orgId, (em) =>
        this.audit.append(em, actor.orgId, auditOriginOf(actor, origin), {
          action: 'QUERY_TEMPLATE_USED',
          targetType: 'QueryRequest',
          targetId: request.id,
          metadata: { templateId: template.id, templateName: template.name, version, parameterNames: Object.keys(input.parameters ?? {}) },
        }),
      );
    }
    return request;
  }

  private async visible(em: EntityManager, actor: Actor, id: string): Promise<QueryTemplate | null> {
    const template = await em.findOne(QueryTemplateEntity, { id });
    return template && (template.ownerId === actor.userId || template.visibility === 'TEAM') ? template : null;
  }

  private async owned(em: EntityManager, actor: Actor, id: string): Promise<QueryTemplate> {
    const template = await this.visible(em, actor, id);
    if (!template) throw new NotFoundError('QueryTemplate', id);
    if (template.ownerId !== actor.userId) throw new ForbiddenError('only the owner of a template may change or delete it');
    return template;
  }
}
