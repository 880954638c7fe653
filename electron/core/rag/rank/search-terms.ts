import { stemmer } from 'stemmer';
import { positiveDegree } from './degrees-of-comparison';

/**
 * Words that say nothing about what is asked: function words and the words questions are made of
 * ("how does", "what should I"). Without them a question about `zip(strict=…)` does not match a
 * page on "does".
 */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being
  below between both but by can could did do does doing done down during each either else few for
  from further get gets got had has have having he her here hers him his how however i if in into is
  it its itself just let lets may me might more most must my myself no nor not of off on once only or
  other ought our ours out over own per please same shall she should so some such than that the
  their theirs them then there these they this those through to too under until up upon us use used
  using very via was we were what whats when where which while who whom whose why will with within
  without would you your yours`.split(/\s+/),
);

/**
 * A run of letters and digits, joined by `_ . : / -` into an identifier: `strict_timestamps`,
 * `os.makedirs`, `/etc/fstab`, `read-only`.
 */
const TERM = /[\p{L}\p{N}]+(?:[_.:/-]+[\p{L}\p{N}]+)*/gu;
const PART = /[\p{L}\p{N}]+/gu;

const stemCache = new Map<string, string>();

/**
 * Light English stemming (Porter): "dataclasses" and "dataclass" meet, and so do "fastest" and
 * "faster"; numbers stay as they are.
 */
function stem(word: string): string {
  if (!/^[a-z]+$/.test(word) || word.length < 4) return word;
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    stemmed = stemmer(positiveDegree(word));
    if (stemCache.size > 100_000) stemCache.clear();
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** `defaultBranch` → default, branch; `HTTPServer` → http, server. */
const CAMEL_BOUNDARY = /(?<=[\p{Ll}\p{N}])(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})/u;

/**
 * The search terms of a text: each identifier whole (lower-cased, unstemmed) and each of its parts
 * (camelCase split too), and every other word stemmed; stopwords are dropped unless they are part
 * of an identifier.
 */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(TERM)) {
    const original = match[0];
    const term = original.toLowerCase();
    const parts = (original.match(PART) ?? []).flatMap((part) => part.split(CAMEL_BOUNDARY));
    if (parts.length > 1) {
      terms.push(term);
      for (const part of parts) {
        const lower = part.toLowerCase();
        if (!STOPWORDS.has(lower)) terms.push(stem(lower));
      }
    } else if (!STOPWORDS.has(term)) {
      terms.push(stem(term));
    }
  }
  return terms;
}
