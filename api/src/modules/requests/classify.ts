/** Classification of a submitted statement with its engine's parser; a rejection becomes a typed error. */
import { classifyMysql, splitMysql } from '../../engines/sql/mysql.ts';
import { classifyPostgres, splitPostgres } from '../../engines/sql/postgres.ts';
import { SqlRejected, type Classification, type ScriptStatement } from '../../engines/sql/classification.ts';
import { impactQuery, type ImpactQuery } from '../../engines/sql/impact.ts';
import type { DbType } from '../../engines/engine.ts';
import { DomainError } from '../../errors.ts';

export type { Classification, ScriptStatement };

/** The statement was refused before anything ran: unparseable, several statements, an unsafe construct … */
export class QueryRejectedError extends DomainError {
  readonly reason: string;
  constructor(reason: string, message: string) {
    super('QUERY_REJECTED', message, { reason });
    this.reason = reason;
  }
}

export async function classify(dbType: DbType, sql: string): Promise<Classification> {
  try {
    return dbType === 'POSTGRESQL' ? await classifyPostgres(sql) : classifyMysql(sql, dbType === 'MARIADB' ? 'mariadb' : 'mysql');
  } catch (error) {
    if (error instanceof SqlRejected) throw new QueryRejectedError(error.reason, error.message);
    throw error;
  }
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
