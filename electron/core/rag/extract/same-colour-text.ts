/**
 * Best-effort detection of text coloured like its background (white on white), from inline styles
 * only: the element's own `color` against the nearest inline `background`/`background-color` on
 * it or an ancestor. Style sheets and computed colours are out of reach without a layout engine.
 */

interface StyledElement {
  getAttribute(name: string): string | null;
  parentElement?: StyledElement | null;
}

const NAMED: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#ff0000',
  lime: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  gray: '#808080',
  grey: '#808080',
  silver: '#c0c0c0',
};

/** A colour as `#rrggbb`, or undefined when it is not one this check understands. */
export function normaliseColour(value: string): string | undefined {
  const colour = value
    .trim()
    .toLowerCase()
    .replace(/\s*!important$/, '');
  if (NAMED[colour]) return NAMED[colour];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(colour);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  if (/^#[0-9a-f]{6}$/.test(colour)) return colour;
  const rgb =
    /^rgba?\(\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*(?:[,/]\s*1(?:\.0+)?\s*)?\)$/.exec(
      colour,
    );
  if (rgb) {
    const hex = [rgb[1], rgb[2], rgb[3]].map((part) =>
      Math.min(255, Number(part)).toString(16).padStart(2, '0'),
    );
    return `#${hex.join('')}`;
  }
  return undefined;
}

function declaration(style: string, property: string): string | undefined {
  for (const part of style.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    if (part.slice(0, colon).trim().toLowerCase() === property) return part.slice(colon + 1).trim();
  }
  return undefined;
}

/** The inline background colour an element sets, from `background-color` or `background`. */
function backgroundColour(style: string): string | undefined {
  const explicit = declaration(style, 'background-color');
  if (explicit !== undefined) return normaliseColour(explicit);
  const shorthand = declaration(style, 'background');
  if (shorthand === undefined) return undefined;
  for (const token of shorthand.match(/rgba?\([^)]*\)|#[0-9a-f]+|[a-z]+/gi) ?? []) {
    const colour = normaliseColour(token);
    if (colour) return colour;
  }
  return undefined;
}

/** True when the element's inline text colour equals the nearest inline background behind it. */
export function colouredLikeBackground(element: StyledElement): boolean {
  const colourValue = declaration(element.getAttribute('style') ?? '', 'color');
  const colour = colourValue === undefined ? undefined : normaliseColour(colourValue);
  if (colour === undefined) return false;
  for (let node: StyledElement | null | undefined = element; node; node = node.parentElement) {
    const style = node.getAttribute('style');
    const background = style ? backgroundColour(style) : undefined;
    if (background !== undefined) return background === colour;
  }
  return false;
}
