/** Column builders every entity shares, so ids and timestamps look the same everywhere. */
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

export const idColumn = () => p.uuid().primary().onCreate(() => randomUUID());
export const createdAtColumn = () => p.datetime().onCreate(() => new Date());
export const updatedAtColumn = () => p.datetime().onCreate(() => new Date()).onUpdate(() => new Date());
