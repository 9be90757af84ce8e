/** Column builders every entity shares, so ids and timestamps look the same everywhere. */
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

export const idColumn = () => p.uuid().primary().onCreate(() => randomUUID());
export const createdAtColumn = () => p.datetime().onCreate(() => new Date());
export const updatedAtColumn = () => p.datetime().onCreate(() => new Date()).onUpdate(() => new Date());

/**
 * JSON columns with an empty default. The value is set in JavaScript at creation (a `.default()` alone would be
 * written as a JSON *string* "[]"), and the database default matches it.
 */
export const jsonListColumn = <T>() => p.json<T[]>().default('[]').onCreate(() => [] as T[]);
export const jsonObjectColumn = <T extends object>() => p.json<T>().default('{}').onCreate(() => ({}) as T);
