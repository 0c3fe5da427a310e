import { InputError } from './input.js';

/**
 * The engine's only source of time. Core never reads the wall clock: the embedding system
 * passes `systemClock()` in production, tests and simulations pass a `ManualClock`.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
}

/** A clock the caller moves by hand (tests, the demo's simulated days). */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
    if (Number.isNaN(this.#ms)) {
      throw new InputError(
        'INPUT_INVALID',
        'ManualClock needs a valid Date or ISO 8601 instant to start at',
        {
          field: 'start',
          expected: 'an instant',
          found: typeof start,
        },
      );
    }
  }

  now(): Date {
    return new Date(this.#ms);
  }

  /** Moves to an instant; moving backwards is refused, as real time does not. */
  set(to: Date | string): void {
    const ms = new Date(to).getTime();
    if (Number.isNaN(ms) || ms < this.#ms) {
      throw new InputError(
        'INPUT_INVALID',
        `ManualClock cannot move to ${Number.isNaN(ms) ? 'an invalid instant' : 'an earlier instant'}: real time only moves forward`,
        {
          field: 'to',
          expected: 'a later instant',
          found: Number.isNaN(ms) ? 'an invalid instant' : 'an earlier instant',
        },
      );
    }
    this.#ms = ms;
  }

  /** Advances by milliseconds. */
  advance(ms: number): void {
    this.set(new Date(this.#ms + ms));
  }

  /** Advances by whole days of 24 hours. */
  advanceDays(days: number): void {
    this.advance(days * 86_400_000);
  }
}

/** The wall clock, for production embeddings. The only place core touches real time. */
export const systemClock = (): Clock => ({ now: () => new Date(Date.now()) });
