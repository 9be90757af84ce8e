/** GraphQL for the audit log: browse, verify the chain, export, and follow live. */
import { z } from 'zod';
import { ValidationError } from '../../errors.ts';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf, PAGE_SIZE } from '../../graphql/helpers.ts';
import { AUDIT_SOURCES, type AuditEvent } from './audit-event.entity.ts';
import { auditTopic, type ChainVerification } from './audit.service.ts';

export const AuditEventRef = builder.objectRef<AuditEvent>('AuditEvent');

export function defineAuditSchema(): void {
  const AuditSourceEnum = builder.enumType('AuditSource', { values: AUDIT_SOURCES });
  const ChainBreakEnum = builder.enumType('AuditChainBreak', {
    values: {
      HASH_MISMATCH: { description: 'The row was changed after it was written.' },
      PREVIOUS_HASH_MISMATCH: { description: 'The row does not follow the one before it (reordered or re-linked).' },
      ROW_MISSING_BEFORE: { description: 'One or more rows before this one were removed.' },
      ROWS_MISSING_AT_END: { description: 'The newest rows were removed: the chain ends before its anchor (firstBrokenSeq is the first missing).' },
      ANCHOR_MISMATCH: { description: 'The chain anchor does not match the chain or its MAC (it was changed outside the server).' },
    },
  });

  AuditEventRef.implement({
    description: 'One recorded action. Append-only; `hash` chains it to the previous event of the organization.',
    fields: (t) => ({
      id: t.exposeID('id'),
      seq: t.exposeInt('seq', { description: 'Position in the organization chain, from 1, without gaps.' }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      actorId: t.exposeID('actorId', { nullable: true }),
      actorType: t.exposeString('actorType'),
      action: t.exposeString('action'),
      targetType: t.exposeString('targetType', { nullable: true }),
      targetId: t.exposeString('targetId', { nullable: true }),
      metadata: t.field({ type: 'JSON', resolve: (e) => e.metadata }),
      source: t.expose('source', { type: AuditSourceEnum }),
      ipAddress: t.exposeString('ipAddress', { nullable: true }),
      userAgent: t.exposeString('userAgent', { nullable: true }),
      previousHash: t.exposeString('previousHash', { nullable: true }),
      hash: t.exposeString('hash', { description: 'HMAC-SHA256 over this event and previousHash.' }),
    }),
  });

  const ChainVerificationRef = builder.objectRef<ChainVerification>('AuditChainVerification').implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      checked: t.exposeInt('checked', { description: 'Events verified before the first break (all of them when ok).' }),
      firstBrokenEventId: t.exposeID('firstBrokenEventId', { nullable: true }),
      firstBrokenSeq: t.exposeInt('firstBrokenSeq', { nullable: true }),
      reason: t.expose('reason', { type: ChainBreakEnum, nullable: true }),
    }),
  });

  const ExportRef = builder.objectRef<{ csv: string; rowCount: number; truncated: boolean }>('AuditExport').implement({
    fields: (t) => ({
      csv: t.exposeString('csv', { description: 'RFC 4180 CSV (CRLF line ends, header row), oldest first.' }),
      rowCount: t.exposeInt('rowCount'),
      truncated: t.exposeBoolean('truncated', { description: 'More events matched than one export holds; narrow the filter.' }),
    }),
  });

  const AuditFilter = builder.inputType('AuditEventFilter', {
    fields: (t) => ({
      action: t.string({ validate: z.string().max(100) }),
      actorId: t.id({ validate: z.uuid() }),
      targetType: t.string({ validate: z.string().max(100) }),
      targetId: t.string({ validate: z.string().max(200) }),
      source: t.field({ type: AuditSourceEnum }),
      from: t.field({ type: 'DateTime', description: 'Inclusive.' }),
      to: t.field({ type: 'DateTime', description: 'Exclusive.' }),
    }),
  });

  builder.queryFields((t) => ({
    auditEvents: t.connection({
      type: AuditEventRef,
      description: 'Newest first.',
      ...requires('AUDIT_VIEW'),
      args: { filter: t.arg({ type: AuditFilter }) },
      resolve: async (_root, args, ctx) => {
        if (args.before || args.last) throw new ValidationError('auditEvents pages forward only: use first/after');
        const limit = Math.min(args.first ?? PAGE_SIZE.defaultSize, PAGE_SIZE.maxSize);
        if (limit < 0) throw new ValidationError('first: must not be negative', [{ path: 'first', message: 'must not be negative' }]);
        const beforeSeq = args.after ? seqOfCursor(args.after) : null;
        const filter = { ...args.filter, actorId: args.filter?.actorId ? String(args.filter.actorId) : null };
        const rows = await ctx.services.audit.list(actorOf(ctx).orgId, filter, limit + 1, beforeSeq);
        const edges = rows.slice(0, limit).map((node) => ({ cursor: `seq:${node.seq}`, node }));
        return {
          edges,
          pageInfo: {
            hasNextPage: rows.length > limit,
            hasPreviousPage: beforeSeq !== null,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    }),
    verifyAuditChain: t.field({
      type: ChainVerificationRef,
      description: "Re-walks your organization's chain and names the first event that does not fit.",
      ...requires('AUDIT_VIEW'),
      resolve: (_root, _args, ctx) => ctx.services.audit.verify(actorOf(ctx).orgId),
    }),
  }));

  builder.mutationFields((t) => ({
    exportAuditEvents: t.field({
      type: ExportRef,
      description: 'CSV of the matching events. The export itself is recorded in the audit log.',
      ...requires('AUDIT_VIEW'),
      errors: {},
      args: { filter: t.arg({ type: AuditFilter }) },
      resolve: (_root, args, ctx) =>
        ctx.services.audit.exportFor(actorOf(ctx), ctx.origin, { ...args.filter, actorId: args.filter?.actorId ? String(args.filter.actorId) : null }),
    }),
  }));

  builder.subscriptionFields((t) => ({
    auditEventAppended: t.field({
      type: AuditEventRef,
      description: "Each new event of your organization's audit log, as it is committed.",
      ...requires('AUDIT_VIEW'),
      subscribe: (_root, _args, ctx) => ctx.services.bus.subscribe(auditTopic(actorOf(ctx).orgId)),
      resolve: async (payload, _args, ctx) => {
        const event = await ctx.services.audit.find(actorOf(ctx).orgId, String(payload['id']));
        if (!event) throw new ValidationError('event not visible');
        return event;
      },
    }),
  }));
}

function seqOfCursor(cursor: string): number {
  const match = /^seq:(\d{1,15})$/.exec(cursor);
  if (!match) throw new ValidationError(`cursor "${cursor}" is not one this API issued`, [{ path: 'after', message: 'unknown cursor' }]);
  return Number(match[1]);
}
