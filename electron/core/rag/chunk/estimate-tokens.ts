/**
 * About how many word pieces all-MiniLM-L6-v2's tokenizer (BERT uncased WordPiece) makes of a
 * text, without loading it: every punctuation mark is a piece, common words are one piece, and
 * long or rare words split into pieces of about five characters. Passages are sized by this so
 * they fit the embedder's window whether or not the model is present.
 */
export function estimateTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(/[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu)) {
    const piece = match[0];
    if (/^\p{N}/u.test(piece)) count += Math.ceil(piece.length / 3);
    else if (/^[\p{L}\p{M}]/u.test(piece))
      count += piece.length <= 8 ? 1 : Math.ceil(piece.length / 5);
    else count += 1;
  }
  return count;
}
