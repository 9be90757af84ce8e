import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from './servers.ts';

async function withPostgres<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

describe('real test servers', () => {
  it('runs PostgreSQL 15', async () => {
    const { rows } = await withPostgres(inject('postgresUrl'), (client) =>
      client.query<{ version: string }>('select version()'),
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL 15\./);
  });

  it('creates PostgreSQL databases that can be connected to', async () => {
    const urls = await Promise.all(Array.from({ length: 5 }, () => createPostgresDatabase(inject('postgresUrl'))));
    expect(new Set(urls).size).toBe(5);
    for (const url of urls) {
      const name = decodeURIComponent(new URL(url).pathname.slice(1));
      const { rows } = await withPostgres(url, (client) =>
        client.query<{ db: string }>('select current_database() as db'),
      );
      expect(rows[0]?.db).toBe(name);
    }
  });

  it('creates a PostgreSQL database with a given name', async () => {
    const url = await createPostgresDatabase(inject('postgresUrl'), 'Named "db"');
    const { rows } = await withPostgres(url, (client) =>
      client.query<{ db: string }>('select current_database() as db'),
    );
    expect(rows[0]?.db).toBe('Named "db"');
  });

  it('runs MariaDB, reachable over TCP with a password', async () => {
    const url = new URL(inject('mariadbUrl'));
    expect(url.password).not.toBe('');
    const connection = await mysql.createConnection(inject('mariadbUrl'));
    try {
      const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version, CURRENT_USER() AS user');
      expect(rows[0]?.['version']).toContain('MariaDB');
      expect(rows[0]?.['user']).toBe('accessflow@127.0.0.1');
      await connection.query('CREATE DATABASE harness_check');
      await connection.query('DROP DATABASE harness_check');
    } finally {
      await connection.end();
    }
  });

  it('runs Redis', async () => {
    const redis = new Redis(inject('redisUrl'));
    try {
      await redis.set('harness:check', 'round trip');
      expect(await redis.get('harness:check')).toBe('round trip');
    } finally {
      redis.disconnect();
    }
  });
});
