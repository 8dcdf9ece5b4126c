// Text from servers (and arguments) shown to a person: control characters become visible escapes (`\x1b`),
// so that a cluster name or an error message can never move the cursor, recolour or retitle the terminal,
// or forge a line. Raw job logs and --json output do not go through here.

// C0 controls, DEL, C1 controls, and the invisible format characters that reorder or hide text
// (bidi overrides and isolates, zero-width characters, the BOM, line and paragraph separators).
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/g
const NAMED: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'}

function escape(ch: string): string {
  const named = NAMED[ch]
  if (named) return named
  const code = ch.codePointAt(0) ?? 0
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * `text` with every control character shown as an escape. `multiline` keeps newlines (and tabs) as they are,
 * for blocks that are meant to span lines (a script's description); elsewhere they are escaped too.
 */
export function visible(text: string, o: {multiline?: boolean} = {}): string {
  return text.replace(UNSAFE, (ch) => (o.multiline && (ch === '\n' || ch === '\t') ? ch : escape(ch)))
}

/** Does `text` hold anything visible() would change? */
export function hasUnsafe(text: string): boolean {
  UNSAFE.lastIndex = 0
  const found = UNSAFE.test(text)
  UNSAFE.lastIndex = 0
  return found
}

/**
 * `text` shortened to about `max` characters: its start and end, and how much was left out between,
 * so that a 100 KB argument does not fill the screen.
 */
export function shorten(text: string, max = 200): string {
  if (text.length <= max) return text
  const head = Math.ceil(max * 0.7)
  const tail = Math.max(0, max - head - 1)
  return `${text.slice(0, head)}…(${text.length - head - tail} more characters)…${tail > 0 ? text.slice(-tail) : ''}`
}

/** A value quoted for an error message: `"…"`, escaped and shortened. */
export function shownValue(value: string, max = 80): string {
  return `"${shorten(visible(value), max)}"`
}
