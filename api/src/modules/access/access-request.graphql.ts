/** GraphQL for just-in-time access: request, decide, cancel, revoke, read back. */
import { z } from 'zod';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { ACCESS_DECISIONS, ACCESS_REQUEST_STATUSES, type AccessDecision, type AccessRequest } from './access-request.entity.ts';
import { MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from './access-request.service.ts';

export function defineAccessRequestSchema(): void {
  const StatusEnum = builder.enumType('AccessRequestStatus', { values: ACCESS_REQUEST_STATUSES });
  const DecisionEnum = builder.enumType('AccessDecisionKind', { values: ACCESS_DECISIONS });

  const DecisionRef = builder.objectRef<AccessDecision>('AccessDecision').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      reviewerId: t.exposeID('reviewerId'),
      stage: t.exposeInt('stage'),
      decision: t.expose('decision', { type: DecisionEnum }),
      comment: t.exposeString('comment', { nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const AccessRequestRef = builder.objectRef<AccessRequest>('AccessRequest').implement({
    description: 'Just-in-time access to one datasource for a while: reviewed like a query, then a grant that ends by itself.',
    fields: (t) => ({
      id: t.exposeID('id'),
      requesterId: t.exposeID('requesterId'),
      datasourceId: t.exposeID('datasourceId'),
      canRead: t.exposeBoolean('canRead'),
      canWrite: t.exposeBoolean('canWrite'),
      canDdl: t.exposeBoolean('canDdl'),
      allowedSchemas: t.exposeStringList('allowedSchemas', { nullable: true }),
      allowedTables: t.exposeStringList('allowedTables', { nullable: true }),
      durationMinutes: t.exposeInt('durationMinutes'),
      justification: t.exposeString('justification'),
      status: t.expose('status', { type: StatusEnum }),
      currentStage: t.exposeInt('currentStage'),
      minApprovalsRequired: t.exposeInt('minApprovalsRequired'),
      approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'While APPROVED: when the access ends by itself.' }),
      endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
      endReason: t.exposeString('endReason', { nullable: true }),
      decisions: t.loadableList({
        type: DecisionRef,
        load: (ids: string[], ctx) => ctx.services.accessRequests.decisions(actorOf(ctx).orgId, ids),
        resolve: (r) => r.id,
      }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const RequestInput = builder.inputType('RequestAccessInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      canRead: t.boolean(),
      canWrite: t.boolean(),
      canDdl: t.boolean(),
      allowedSchemas: t.stringList({ description: 'Only these schemas; omit for every schema.', validate: z.array(z.string().min(1).max(200)).max(100) }),
      allowedTables: t.stringList({ description: '`schema.table` or `table`; omit for every table.', validate: z.array(z.string().min(1).max(400)).max(500) }),
      durationMinutes: t.int({ required: true, description: `How long the access lasts once approved: ${MIN_DURATION_MINUTES} minutes to 30 days (${MAX_DURATION_MINUTES}).` }),
      justification: t.string({ required: true, validate: z.string().max(5000) }),
    }),
  });
  const DecideInput = builder.inputType('DecideAccessRequestInput', {
    fields: (t) => ({
      requestId: t.id({ required: true, validate: z.uuid() }),
      decision: t.field({ type: DecisionEnum, required: true }),
      comment: t.string({ description: 'Required to REJECT.', validate: z.string().max(5000) }),
    }),
  });
  const RevokeInput = builder.inputType('RevokeAccessRequestInput', {
    fields: (t) => ({
      id: t.id({ required: true, validate: z.uuid() }),
      reason: t.string({ validate: z.string().max(2000) }),
    }),
  });
  const Filter = builder.inputType('AccessRequestFilter', {
    fields: (t) => ({
      mine: t.boolean({ defaultValue: false, description: 'Only your own (always so without QUERY_REVIEW).' }),
      status: t.field({ type: StatusEnum }),
    }),
  });

  builder.queryFields((t) => ({
    accessRequest: t.field({
      type: AccessRequestRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.accessRequests.get(actorOf(ctx), String(args.id)),
    }),
    accessRequests: t.connection({
      type: AccessRequestRef,
      description: 'Newest first: yours, or (reviewers and admins) everyone’s.',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { filter: t.arg({ type: Filter }) },
      resolve: (_root, args, ctx) =>
        offsetPage(args, (offset, limit) =>
          ctx.services.accessRequests.list(actorOf(ctx), { mine: args.filter?.mine ?? false, status: args.filter?.status ?? null }, offset, limit),
        ),
    }),
  }));

  builder.mutationFields((t) => ({
    requestAccess: t.field({
      type: AccessRequestRef,
      description: 'Ask for time-boxed access to a datasource; reviewed stage by stage like a query (admins may always decide).',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { input: t.arg({ type: RequestInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.accessRequests.request(actorOf(ctx), ctx.origin, { ...input, datasourceId: String(input.datasourceId) }),
    }),
    decideAccessRequest: t.field({
      type: AccessRequestRef,
      ...requires('QUERY_REVIEW'),
      errors: {},
      args: { input: t.arg({ type: DecideInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.accessRequests.decide(actorOf(ctx), ctx.origin, { ...input, requestId: String(input.requestId) }),
    }),
    cancelAccessRequest: t.field({
      type: AccessRequestRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.accessRequests.cancel(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    revokeAccessRequest: t.field({
      type: AccessRequestRef,
      description: 'Ends granted access before it expires.',
      ...requires('POLICIES_MANAGE'),
      errors: {},
      args: { input: t.arg({ type: RevokeInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.accessRequests.revoke(actorOf(ctx), ctx.origin, String(input.id), input.reason ?? null),
    }),
  }));
}
