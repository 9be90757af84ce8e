/**
 * Background jobs of one server process (FEATURES C6: schedules and timeouts). Every replica runs every job:
 * the jobs themselves claim each piece of work under a row lock in the store, so running them on several
 * replicas at once acts on each item once, and a restart loses nothing because the due work is in the store.
 * A job runs at most once at a time per process; it may name its next due moment, and the runner wakes then
 * instead of waiting for the full interval.
 */
import type { Logger } from '../../logger.ts';

export interface Job {
  name: string;
  /** Longest wait between two runs. */
  everyMs: number;
  /** Does the work; may return when it is next due (sooner than `everyMs`). */
  run(): Promise<{ nextDueAt?: Date | null } | void>;
}

interface Slot {
  job: Job;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** A wake-up came while running: run again right after. */
  again: boolean;
}

export class JobRunner {
  readonly #log: Logger;
  readonly #slots: Slot[];
  #stopped = true;

  constructor(log: Logger, jobs: Job[]) {
    this.#log = log;
    this.#slots = jobs.map((job) => ({ job, timer: undefined, running: undefined, again: false }));
  }

  /** Runs every job once now, then on its schedule. */
  async start(): Promise<void> {
    this.#stopped = false;
    await Promise.all(this.#slots.map((slot) => this.#run(slot)));
  }

  /** Runs the named job soon (e.g. a new due moment was just created); a no-op once stopped. */
  wake(name: string): void {
    const slot = this.#slots.find((s) => s.job.name === name);
    if (!slot || this.#stopped) return;
    if (slot.running) slot.again = true;
    else void this.#run(slot);
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const slot of this.#slots) clearTimeout(slot.timer);
    await Promise.all(this.#slots.map((slot) => slot.running));
  }

  #run(slot: Slot): Promise<void> {
    clearTimeout(slot.timer);
    slot.running = (async () => {
      let nextDueAt: Date | null = null;
      do {
        slot.again = false;
        try {
          nextDueAt = (await slot.job.run())?.nextDueAt ?? null;
        } catch (error) {
          this.#log.error({ err: error, job: slot.job.name }, 'background job failed; it runs again on its schedule');
        }
      } while (slot.again && !this.#stopped);
      slot.running = undefined;
      if (this.#stopped) return;
      const untilDue = nextDueAt === null ? Infinity : Math.max(0, nextDueAt.getTime() - Date.now());
      slot.timer = setTimeout(() => void this.#run(slot), Math.min(slot.job.everyMs, untilDue)).unref();
    })();
    return slot.running;
  }
}
