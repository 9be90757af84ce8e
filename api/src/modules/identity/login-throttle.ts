/**
 * Brute-force protection for sign-in (rate-limiter-flexible): failed attempts are counted per e-mail and per
 * client address; past the limit, sign-in is refused until the window ends, even with the right password.
 * Counters live in this process (several replicas each count on their own).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../../errors.ts';

const WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_ADDRESS = 50;

export class LoginThrottle {
  private readonly byEmail = new RateLimiterMemory({ points: MAX_FAILURES_PER_EMAIL, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });
  private readonly byAddress = new RateLimiterMemory({ points: MAX_FAILURES_PER_ADDRESS, duration: WINDOW_SECONDS, blockDuration: WINDOW_SECONDS });

  /** Throws RateLimitedError while this e-mail or address is locked out. */
  async assertAllowed(email: string, address: string | null): Promise<void> {
    const checks = await Promise.all([this.byEmail.get(email), address ? this.byAddress.get(address) : null]);
    const limits = [MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_ADDRESS];
    checks.forEach((state, i) => {
      if (state && state.consumedPoints >= limits[i]!) {
        throw new RateLimitedError('too many failed sign-in attempts: try again later', Math.ceil(state.msBeforeNext / 1000));
      }
    });
  }

  async failed(email: string, address: string | null): Promise<void> {
    await Promise.all([consume(this.byEmail, email), address ? consume(this.byAddress, address) : null]);
  }

  async succeeded(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }
}

/** Counts one failure; reaching the limit is reported by the next assertAllowed, not here. */
async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch((rejection: unknown) => {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  });
}
