/**
 * Porter stemming leaves "faster" and "fastest" apart from "fast" (it strips "-er" only from
 * longer stems, and "-est" never), so "the fastest way to empty a table" misses a page that says
 * TRUNCATE "is faster". These are the common gradable adjectives of questions about software and
 * systems; their regular comparative and superlative forms are mapped back to the adjective.
 * A list rather than a rule: stripping "-est" or "-er" blindly turns "request" into "requ" and
 * "header" into "head".
 */
const GRADABLE = `big bright busy cheap clean clear close cold cool dark deep dense early easy
  fast fine fresh full great hard heavy high hot huge large late light long loose loud low narrow
  near new nice old plain poor pure quick quiet rare rich rough safe short simple slim slow small
  smart smooth soft soon sparse steep strict strong sure thick thin tight tiny warm weak wide young`
  .split(/\s+/)
  .filter(Boolean);

const VOWEL = /[aeiou]/;

/** "big" → "bigg", "hot" → "hott": a short adjective ending consonant-vowel-consonant doubles. */
function doubled(adjective: string): string {
  const [a, b, c] = adjective.slice(-3);
  const doubles =
    adjective.length <= 4 &&
    a !== undefined &&
    b !== undefined &&
    c !== undefined &&
    !VOWEL.test(a) &&
    VOWEL.test(b) &&
    !/[aeiouwxy]/.test(c);
  return doubles ? adjective + c : adjective;
}

function formsOf(adjective: string): string[] {
  if (adjective.endsWith('e')) return [`${adjective}r`, `${adjective}st`];
  if (/[^aeiou]y$/.test(adjective)) {
    const stem = adjective.slice(0, -1);
    return [`${stem}ier`, `${stem}iest`];
  }
  const stem = doubled(adjective);
  return [`${stem}er`, `${stem}est`];
}

const ADJECTIVE_OF = new Map(
  GRADABLE.flatMap((adjective) => formsOf(adjective).map((form) => [form, adjective] as const)),
);

/** "fastest" → "fast", "larger" → "large", "easiest" → "easy"; any other word as it is. */
export function positiveDegree(word: string): string {
  return ADJECTIVE_OF.get(word) ?? word;
}
