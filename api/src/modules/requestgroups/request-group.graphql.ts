/** GraphQL for request groups: submit, decide, run, cancel, read back, and follow live. */
import { z } from 'zod';
import { NotFoundError } from '../../errors.ts';
import { builder, requires } from '../../graphql/builder.ts';
import { actorOf, offsetPage } from '../../graphql/helpers.ts';
import { QueryRejectedError } from '../requests/classify.ts';
import { DECISIONS } from '../requests/query-request.entity.ts';
import { QueryRequestRef } from '../requests/query-request.graphql.ts';
import { FAILURE_MODES, REQUEST_GROUP_STATUSES, type RequestGroup } from './request-group.entity.ts';
import { MAX_MEMBERS, requestGroupTopic } from './request-group.service.ts';

export function defineRequestGroupSchema(): void {
  const StatusEnum = builder.enumType('RequestGroupStatus', { values: REQUEST_GROUP_STATUSES });
  const FailureModeEnum = builder.enumType('RequestGroupFailureMode', {
    values: FAILURE_MODES,
    description: 'STOP_ON_FAILURE: the first member that fails cancels the rest. CONTINUE_ON_ERROR: every member runs.',
  });
  const GroupDecisionEnum = builder.enumType('RequestGroupDecision', { values: DECISIONS });

  const RequestGroupRef = builder.objectRef<RequestGroup>('RequestGroup').implement({
    description: 'Statements on one or more datasources, reviewed and approved as one and run in order. Not atomic: members that ran stay applied.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      justification: t.exposeString('justification', { nullable: true }),
      failureMode: t.expose('failureMode', { type: FailureModeEnum }),
      status: t.expose('status', { type: StatusEnum }),
      submittedById: t.exposeID('submittedById'),
      members: t.field({ type: [QueryRequestRef], description: 'In run order.', resolve: (g, _a, ctx) => ctx.services.requestGroups.membersOf(g.organizationId, g.id) }),
      executedAt: t.expose('executedAt', { type: 'DateTime', nullable: true }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
    }),
  });

  const MemberInput = builder.inputType('RequestGroupMemberInput', {
    fields: (t) => ({
      datasourceId: t.id({ required: true, validate: z.uuid() }),
      query: t.string({ required: true, validate: z.string().max(100_000, 'must be at most 100000 characters') }),
    }),
  });
  const SubmitInput = builder.inputType('SubmitRequestGroupInput', {
    fields: (t) => ({
      name: t.string({ required: true, validate: z.string().max(200) }),
      justification: t.string({ validate: z.string().max(5000) }),
      failureMode: t.field({ type: FailureModeEnum }),
      members: t.field({ type: [MemberInput], required: true, description: `1 to ${MAX_MEMBERS}, in run order.` }),
    }),
  });
  const DecideInput = builder.inputType('DecideRequestGroupInput', {
    fields: (t) => ({
      requestGroupId: t.id({ required: true, validate: z.uuid() }),
      decision: t.field({ type: GroupDecisionEnum, required: true }),
      comment: t.string({ description: 'Required to REJECT or REQUEST_CHANGES.', validate: z.string().max(5000) }),
    }),
  });

  builder.queryFields((t) => ({
    requestGroup: t.field({
      type: RequestGroupRef,
      nullable: true,
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.requestGroups.get(actorOf(ctx), String(args.id)),
    }),
    requestGroups: t.connection({
      type: RequestGroupRef,
      description: 'Newest first: yours, or everyone’s with QUERY_VIEW_ALL.',
      ...requires('QUERY_SUBMIT_SELECT'),
      resolve: (_root, args, ctx) => offsetPage(args, (offset, limit) => ctx.services.requestGroups.list(actorOf(ctx), offset, limit)),
    }),
  }));

  builder.mutationFields((t) => ({
    submitRequestGroup: t.field({
      type: RequestGroupRef,
      description: 'Submits every member at once (one refused member: no group); reviewed by the union of their approvers.',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: { types: [QueryRejectedError] },
      args: { input: t.arg({ type: SubmitInput, required: true }) },
      resolve: (_root, { input }, ctx) =>
        ctx.services.requestGroups.submit(actorOf(ctx), ctx.origin, { ...input, members: input.members.map((m) => ({ ...m, datasourceId: String(m.datasourceId) })) }),
    }),
    decideRequestGroup: t.field({
      type: RequestGroupRef,
      description: 'Decides every member still in review whose current stage you may decide; one REJECT ends the group.',
      ...requires('QUERY_REVIEW'),
      errors: {},
      args: { input: t.arg({ type: DecideInput, required: true }) },
      resolve: (_root, { input }, ctx) => ctx.services.requestGroups.decide(actorOf(ctx), ctx.origin, { decision: input.decision, comment: input.comment ?? null, groupId: String(input.requestGroupId) }),
    }),
    executeRequestGroup: t.field({
      type: RequestGroupRef,
      description: 'Runs an approved group, members in order (submitter only).',
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.requestGroups.execute(actorOf(ctx), ctx.origin, String(args.id)),
    }),
    cancelRequestGroup: t.field({
      type: RequestGroupRef,
      ...requires('QUERY_SUBMIT_SELECT'),
      errors: {},
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      resolve: (_root, args, ctx) => ctx.services.requestGroups.cancel(actorOf(ctx), ctx.origin, String(args.id)),
    }),
  }));

  builder.subscriptionFields((t) => ({
    requestGroupUpdated: t.field({
      type: RequestGroupRef,
      description: 'The group after every change: each decision, each member run (live progress), the outcome.',
      ...requires('QUERY_SUBMIT_SELECT'),
      args: { id: t.arg.id({ required: true, validate: z.uuid() }) },
      subscribe: async (_root, args, ctx) => {
        if (!(await ctx.services.requestGroups.get(actorOf(ctx), String(args.id)))) throw new NotFoundError('RequestGroup', String(args.id));
        return ctx.services.bus.subscribe(requestGroupTopic(String(args.id)));
      },
      resolve: async (payload, _args, ctx) => {
        const group = await ctx.services.requestGroups.get(actorOf(ctx), String(payload['id']));
        if (!group) throw new NotFoundError('RequestGroup', String(payload['id']));
        return group;
      },
    }),
  }));
}
