import { QuotaExceededError } from '../../errors.ts';

/** Throws when adding one more would pass `max` (0 = unlimited), naming the limit (FEATURES A1). */
export function assertWithinQuota(limit: string, max: number, current: number): void {
  if (max > 0 && current >= max) throw new QuotaExceededError(limit, max);
}
