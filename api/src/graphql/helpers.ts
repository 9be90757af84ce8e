import { cursorToOffset, resolveOffsetConnection } from '@pothos/plugin-relay';
import type { DefaultConnectionArguments } from '@pothos/plugin-relay';
import { UnauthenticatedError, ValidationError } from '../errors.ts';
import type { Actor, RequestContext } from './context.ts';

/** The authenticated caller; scope-auth has already refused anonymous calls to fields that reach here. */
export function actorOf(ctx: RequestContext): Actor {
  if (!ctx.actor) throw new UnauthenticatedError('authentication required');
  return ctx.actor;
}

export const PAGE_SIZE = { defaultSize: 50, maxSize: 100 } as const;

/** A Relay connection over an offset-paged list; a malformed cursor is a ValidationError, not a crash. */
export function offsetPage<T>(args: DefaultConnectionArguments, fetch: (offset: number, limit: number) => Promise<readonly T[]>) {
  for (const cursor of [args.after, args.before]) {
    if (cursor === null || cursor === undefined) continue;
    try {
      cursorToOffset(cursor);
    } catch {
      throw new ValidationError(`cursor "${cursor}" is not one this API issued`, [{ path: 'after', message: 'unknown cursor' }]);
    }
  }
  return resolveOffsetConnection({ args, ...PAGE_SIZE }, ({ offset, limit }) => fetch(offset, limit));
}
