/**
 * Control characters that make a terminal act instead of print: C0 (ESC, BEL, BS, CR…) except
 * newline and tab, DEL, C1 (U+0080–U+009F, which some terminals read as ESC sequences), and the
 * bidirectional overrides that make text display in another order than it is stored.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_AND_LINE_BREAKS =
  // eslint-disable-next-line no-control-regex -- as above
  /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text stored or generated elsewhere (titles, answers, file names), made safe to print: every
 * control character shows as `\x1b`-style text. Newlines and tabs stay unless `oneLine`.
 */
export function terminalSafe(text: string, options: { oneLine?: boolean } = {}): string {
  return text.replace(options.oneLine ? CONTROLS_AND_LINE_BREAKS : CONTROLS, visible);
}
