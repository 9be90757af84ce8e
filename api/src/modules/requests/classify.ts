/** Classification of a submitted statement with its engine's parser; a rejection becomes a typed error. */
import { classifyMysql, splitMysql } from '../../engines/sql/mysql.ts';
import { classifyPostgres, splitPostgres } from '../../engines/sql/postgres.ts';
import { SqlRejected, type Classification, type ScriptStatement } from '../../engines/sql/classification.ts';
import { impactQuery, type ImpactQuery } from '../../engines/sql/impact.ts';
import type { DbType } from '../../engines/engine.ts';
import { DomainError } from '../../errors.ts';
import { LRUCache } from 'lru-cache';

export type { Classification, ScriptStatement };

/** The statement was refused before anything ran: unparseable, several statements, an unsafe construct … */
export class QueryRejectedError extends DomainError {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('QUERY_REJECTED', message, { reason });
    this.reason = reason;
  }
}

type Outcome = { classification: Classification } | { rejected: SqlRejected };

/**
 * Classification is a function of the engine and the text alone, and the same statements come back often
 * (dashboards, pipelines, retries): the outcomes — refusals too — of recent texts are kept, frozen, so no caller
 * can change one another caller is given. The cache is bounded by entries and by an estimate of their size.
 */
const outcomes = new LRUCache<string, Outcome>({ max: 2_000, maxSize: 16_000_000, sizeCalculation: (_, key) => 4 * key.length + 1_024 });

export async function classify(dbType: DbType, sql: string): Promise<Classification> {
  const key = `${dbType}\u0000${sql}`;
  let outcome = outcomes.get(key);
  if (outcome === undefined) {
    try {
      outcome = { classification: deepFreeze(dbType === 'POSTGRESQL' ? await classifyPostgres(sql) : classifyMysql(sql, dbType === 'MARIADB' ? 'mariadb' : 'mysql')) };
    } catch (error) {
      if (!(error instanceof SqlRejected)) throw error;
      outcome = { rejected: error };
    }
    outcomes.set(key, outcome);
  }
  if ('rejected' in outcome) throw new QueryRejectedError(outcome.rejected.reason, outcome.rejected.message);
  return outcome.classification;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The statements of a script (a migration file, say), split by the engine's own parser or lexer. */
export async function splitScript(dbType: DbType, sql: string): Promise<ScriptStatement[]> {
  return dbType === 'POSTGRESQL' ? splitPostgres(sql) : splitMysql(sql);
}

/** The read that counts what one write statement would touch (see engines/sql/impact.ts); refusals are typed. */
export async function impactOf(dbType: DbType, text: string, written: Classification): Promise<ImpactQuery> {
  try {
    return await impactQuery(dbType, text, written);
  } catch (error) {
    if (error instanceof SqlRejected) throw new QueryRejectedError(error.reason, error.message);
    throw error;
  }
}
