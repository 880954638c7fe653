/**
 * An answer's first question loads the model in `ponder serve`; on a busy two-core machine that has
 * taken over a minute. Waiting is not a performance claim: benchmarks measure speed, tests behaviour.
 */
export const ANSWER_TIMEOUT = { timeout: 240_000 };
