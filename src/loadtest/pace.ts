/** Clock and sleep, injected so tests run without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Returns a function to await before each request so that request `i` starts no earlier than
 * `i / rate` seconds after the first: a steady rate with no bursts, because Cognito quotas are
 * per second and shared with production traffic in the same account.
 */
export function pacer(ratePerSecond: number, clock: Clock): () => Promise<void> {
  if (!(ratePerSecond > 0)) throw new Error('rate must be positive');
  const interval = 1000 / ratePerSecond;
  let start: number | undefined;
  let count = 0;
  return async () => {
    const now = clock.now();
    if (start === undefined) start = now;
    const due = start + count * interval;
    count++;
    if (due > now) await clock.sleep(due - now);
  };
}
