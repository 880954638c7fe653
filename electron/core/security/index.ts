export { escapeControlCharacters, hasControlCharacters } from './control-characters';
