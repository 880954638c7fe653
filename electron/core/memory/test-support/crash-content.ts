/** The text the crash writer streams: deterministic, so a survivor can be checked byte for byte. */
export function chunkOf(part: 'reasoning' | 'solution', index: number): string {
  return part === 'reasoning' ? `think-${index} because ${index * 7}; ` : `answer-${index} `;
}

/** The full text a part would have after `chunks` chunks. */
export function expectedText(part: 'reasoning' | 'solution', chunks = 30): string {
  let text = '';
  for (let i = 0; i < chunks; i += 1) text += chunkOf(part, i);
  return text;
}
