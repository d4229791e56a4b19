// How deep JSON nests, measured without recursion: a client controls the depth, so no walker of the fake
// may follow it on the call stack (6,000 nested brackets were enough to overflow it). Request bodies are
// measured as text before they are parsed (src/http/body.ts), values handed over in process (seeds,
// snapshots) as values; anything deeper than the limit is refused before it is stored, so every later
// walker (journal redaction, snapshots, views) sees a bounded depth.

const OPEN_BRACE = 0x7b; // {
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACE = 0x7d; // }
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/**
 * Whether UTF-8 JSON text nests objects and arrays deeper than `max` levels (`{}` is one level). One pass
 * over the bytes; brackets inside strings do not count. Multi-byte UTF-8 sequences never contain these
 * ASCII bytes, so a byte scan is exact. Malformed text is measured as far as it goes (the parser refuses it).
 */
export function jsonTextTooDeep(text: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/**
 * Whether a value nests objects, arrays, Maps or Sets deeper than `max` levels, walked with an explicit
 * stack (the walk stops at the first level past `max`). A value that contains itself is too deep.
 */
export function valueTooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth + 1 > max) return true;
    const children = node instanceof Map ? [...node.keys(), ...node.values()] : node instanceof Set ? [...node] : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string (or key) in a value that is not well-formed Unicode (a lone surrogate), walked without recursion. */
export function findLoneSurrogate(value: unknown): string | undefined {
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (LONE_SURROGATE.test(node)) return node;
    } else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (LONE_SURROGATE.test(k)) return k;
        stack.push(v);
      }
    }
  }
  return undefined;
}
