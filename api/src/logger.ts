import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON line per event on stdout (pino). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'accessflow' } });
}
