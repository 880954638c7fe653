/**
 * A copy of a good model with 1–4 bytes of its header overwritten, chosen by `seed`, so a damaged
 * file is reproducible from its seed alone.
 */
export function mutateHeader(good: Buffer, headerBytes: number, seed: number): Buffer {
  let state = seed >>> 0 || 1;
  // xorshift32: small, fast and the same on every platform.
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const copy = Buffer.from(good);
  const count = 1 + (next() % 4);
  for (let index = 0; index < count; index++) copy[next() % headerBytes] = next() % 256;
  return copy;
}
