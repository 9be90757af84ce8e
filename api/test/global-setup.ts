/**
 * Vitest globalSetup: starts real PostgreSQL, MariaDB and Redis servers once
 * per run and hands their URLs to tests, which read them with
 * `inject('postgresUrl')`, `inject('mariadbUrl')` and `inject('redisUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startTestServers } from './servers.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    mariadbUrl: string;
    redisUrl: string;
    postgresCertificate: string;
    mariadbCertificate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startTestServers();
  project.provide('postgresUrl', servers.postgresUrl);
  project.provide('mariadbUrl', servers.mariadbUrl);
  project.provide('redisUrl', servers.redisUrl);
  project.provide('postgresCertificate', servers.postgresCertificate);
  project.provide('mariadbCertificate', servers.mariadbCertificate);
  return () => servers.stop();
}
