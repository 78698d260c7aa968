/**
 * Text that is safe to log. Values from a request (query parameters, paths, the Host header, the
 * method) and from Graph (headers, column names, error text) are not ours: written raw, a CR/LF
 * forges a second log line, a NUL or an escape sequence garbles a terminal, a bidi override
 * disguises what follows, and a 10,000-character query parameter floods the log.
 *
 * So every such value goes through `quote` before it reaches a log line or a problem detail:
 * - control and invisible characters are shown as escapes, never written raw: `\n`, `\r`, `\t`,
 *   `\b`, `\f`, `\v`, otherwise `\uXXXX` (C0 and C1 controls, DEL, format characters such as
 *   bidi overrides and the BOM, line and paragraph separators, lone surrogates);
 * - the shown text is cut at MAX_QUOTED_CHARS characters, followed by the marker `…[+N chars]`
 *   saying how many characters of the value were left out.
 *
 * `safeText` does the same for a whole message that already quotes its values (escaping only,
 * so it can be applied twice), cut at MAX_LINE_CHARS. Pure functions, no I/O.
 */

/** The most characters of one value a log line or a problem detail shows. */
export const MAX_QUOTED_CHARS = 200;

/** The most characters of one whole log message (our text and the values it quotes). */
export const MAX_LINE_CHARS = 2000;

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

/** Controls (Cc), invisible format characters (Cf), line/paragraph separators, lone surrogates. */
const UNSAFE = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]$/u;

function escapeUnsafe(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Escapes `text` character by character and stops before the output would pass `max`
 * characters, so an escape is never split and a huge value costs no more than `max` steps.
 */
function escapeAndCut(
  text: string,
  max: number,
  escape: (char: string) => string,
): { shown: string; omitted: number } {
  let shown = '';
  let consumed = 0;
  // for...of walks code points, so a surrogate pair is never split (a lone one is escaped).
  for (const char of text) {
    const token = escape(char);
    if (shown.length + token.length > max) break;
    shown += token;
    consumed += char.length;
  }
  return { shown, omitted: text.length - consumed };
}

function cutMarker(omitted: number): string {
  return omitted > 0 ? `…[+${omitted} chars]` : '';
}

/**
 * A value from outside, ready to put in a log line or a problem detail: in double quotes,
 * escaped as JSON would (`"` and `\` too, so an escape in the value cannot pass for one of
 * ours), at most MAX_QUOTED_CHARS characters between the quotes, then the cut marker if cut.
 * An absent value (undefined or null) is `(none)`.
 */
export function quote(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (value === undefined || value === null) return '(none)';
  const { shown, omitted } = escapeAndCut(String(value), max, (char) =>
    char === '"' || char === '\\' ? `\\${char}` : UNSAFE.test(char) ? escapeUnsafe(char) : char,
  );
  return `"${shown}"${cutMarker(omitted)}`;
}

/**
 * A whole message, safe to write as one log line: control and invisible characters escaped
 * (quotes and backslashes are left alone, so text that is already safe comes back unchanged),
 * cut at `max` characters with the cut marker.
 */
export function safeText(text: string, max = MAX_LINE_CHARS): string {
  const { shown, omitted } = escapeAndCut(text, max, (char) =>
    UNSAFE.test(char) ? escapeUnsafe(char) : char,
  );
  return `${shown}${cutMarker(omitted)}`;
}

/**
 * An error for the log: its name and message made safe, followed by its stack frames, which
 * V8 writes from code locations and which stay one per line. A stack whose first lines are not
 * the name and message (they were changed after the error was made) is escaped whole.
 */
export function safeError(error: unknown): string {
  if (!(error instanceof Error)) return safeText(String(error));
  // The header V8 writes follows Error.prototype.toString; source-map hooks write "name: message".
  const heads = [
    error.name && error.message ? `${error.name}: ${error.message}` : error.name || error.message,
    `${error.name}: ${error.message}`,
  ];
  const stack = error.stack ?? heads[0]!;
  const head = heads.find((candidate) => stack === candidate || stack.startsWith(`${candidate}\n`));
  if (head === undefined) return safeText(stack);
  return `${safeText(head)}${stack.slice(head.length)}`;
}
