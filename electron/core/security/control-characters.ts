/** True when text holds a C0 control character or DEL (newlines, escapes, carriage returns). */
export function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Text from a file or a web page made safe to quote in a one-line message: control characters
 * become visible escapes (`\n`, `\u001b`), so a crafted name cannot break the line or drive a
 * terminal that prints the message.
 */
export function escapeControlCharacters(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code >= 0x20 && code !== 0x7f) out += char;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}
