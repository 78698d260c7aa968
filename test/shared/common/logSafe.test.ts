import {
  MAX_LINE_CHARS,
  MAX_QUOTED_CHARS,
  quote,
  safeError,
  safeText,
} from '../../../shared/common/logSafe';

/** Any character a log line must never carry raw. */
const RAW_UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

describe('quote: a value from a request or from Graph, ready for a log line', () => {
  it.each([
    ['plain text', 'D7', '"D7"'],
    ['CR and LF (a forged log line)', 'D7\r\nHost: forged', '"D7\\r\\nHost: forged"'],
    ['NUL', 'a\u0000b', '"a\\u0000b"'],
    ['tab, backspace, form feed, vertical tab', '\t\b\f\v', '"\\t\\b\\f\\v"'],
    ['an ANSI escape sequence', '\u001b[31mred', '"\\u001b[31mred"'],
    ['DEL and a C1 control (NEL)', '\u007f\u0085', '"\\u007f\\u0085"'],
    ['a bidi override', 'abc\u202Edcba', '"abc\\u202edcba"'],
    ['the line and paragraph separators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['a byte order mark', '\uFEFFReport Refresh Date', '"\\ufeffReport Refresh Date"'],
    ['a lone surrogate', 'x\uD800y', '"x\\ud800y"'],
    ['a format character beyond the BMP', 'tag\u{E0001}', '"tag\\u{e0001}"'],
    [
      'quotes and backslashes, so escapes in the value cannot pass for ours',
      'say "\\n"',
      '"say \\"\\\\n\\""',
    ],
    ['non-ASCII text, kept as it is', 'Zoë 😀 日本', '"Zoë 😀 日本"'],
    ['an empty value', '', '""'],
  ])('shows %s escaped', (_case, value, expected) => {
    expect(quote(value)).toBe(expected);
    expect(quote(value)).not.toMatch(RAW_UNSAFE);
  });

  it.each([
    ['undefined', undefined, '(none)'],
    ['null', null, '(none)'],
    ['a number', 42, '"42"'],
  ])('writes %s as %s', (_case, value, expected) => {
    expect(quote(value)).toBe(expected);
  });

  it.each([
    ['exactly the limit', MAX_QUOTED_CHARS, `"${'a'.repeat(MAX_QUOTED_CHARS)}"`],
    ['one over the limit', MAX_QUOTED_CHARS + 1, `"${'a'.repeat(MAX_QUOTED_CHARS)}"…[+1 chars]`],
    ['10,000 characters', 10_000, `"${'a'.repeat(MAX_QUOTED_CHARS)}"…[+9800 chars]`],
  ])('cuts a value of %s to MAX_QUOTED_CHARS, saying how much was left out', (_c, length, out) => {
    expect(quote('a'.repeat(length))).toBe(out);
  });

  it('counts escapes in the limit and never splits one', () => {
    const quoted = quote('\n'.repeat(1000));
    // 100 escapes of two characters each fill the 200; the rest is counted as cut.
    expect(quoted).toBe(`"${'\\n'.repeat(100)}"…[+900 chars]`);
    expect(quote('a\u0000'.repeat(50), 10)).toBe('"a\\u0000a"…[+97 chars]');
  });

  it('never splits a surrogate pair', () => {
    expect(quote('a😀', 2)).toBe('"a"…[+2 chars]');
  });

  it('takes a smaller limit when asked', () => {
    expect(quote('abcdef', 3)).toBe('"abc"…[+3 chars]');
  });

  it('cuts a value of a million characters without walking all of it', () => {
    const started = performance.now();
    expect(quote('x'.repeat(1_000_000)).length).toBeLessThan(MAX_QUOTED_CHARS + 30);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('safeText: a whole message as one log line', () => {
  it.each([
    ['CR/LF and NUL', 'period=\r\nHost: forged\u0000', 'period=\\r\\nHost: forged\\u0000'],
    ['quotes and backslashes, left alone', 'got "a\\b"', 'got "a\\b"'],
    ['an already quoted value, unchanged', `got ${quote('x\ny')}`, 'got "x\\ny"'],
  ])('escapes %s', (_case, text, expected) => {
    expect(safeText(text)).toBe(expected);
  });

  it('is idempotent: applying it twice changes nothing more', () => {
    const once = safeText('a\r\n\u0000\u202e"\\');
    expect(safeText(once)).toBe(once);
  });

  it('cuts at MAX_LINE_CHARS with the marker', () => {
    const line = safeText('y'.repeat(10_000));
    expect(line).toBe(`${'y'.repeat(MAX_LINE_CHARS)}…[+8000 chars]`);
  });
});

describe('safeError: an error for the log', () => {
  it('escapes the message and keeps the stack frames one per line', () => {
    const error = new RangeError('bad value "x\r\nforged: yes"');
    const logged = safeError(error);
    const [first, ...frames] = logged.split('\n');
    expect(first).toBe('RangeError: bad value "x\\r\\nforged: yes"');
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/^ {4}at /);
  });

  it('names an error without a message, still with its frames', () => {
    const [first, ...frames] = safeError(new TypeError()).split('\n');
    // "TypeError" from V8, "TypeError: " where a source-map hook formats the stack.
    expect(first).toMatch(/^TypeError(: )?$/);
    expect(frames[0]).toMatch(/^ {4}at /);
  });

  it('escapes a stack whose header no longer matches the error whole', () => {
    const error = new Error('original');
    void error.stack;
    error.message = 'changed\nforged';
    expect(safeError(error)).not.toContain('\n');
  });

  it.each([
    ['a string', 'went\nwrong', 'went\\nwrong'],
    ['a number', 7, '7'],
  ])('writes a thrown %s safely', (_case, thrown, expected) => {
    expect(safeError(thrown)).toBe(expected);
  });
});
