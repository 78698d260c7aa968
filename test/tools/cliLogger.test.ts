import { MAX_LINE_CHARS } from '../../shared/common/logSafe';
import { lineLogger } from '../../tools/cliLogger';

/** The commands' logger, writing into an array instead of stderr. */
function captured() {
  const lines: string[] = [];
  return { log: lineLogger((line) => lines.push(line)), lines };
}

describe("the commands' logger", () => {
  it.each([
    ['info', '', 'Stored a.csv'],
    ['warn', 'warning: ', 'Graph restated D7'],
    ['error', 'error: ', 'Fetching D7 failed'],
  ] as const)('writes %s as one prefixed line', (level, prefix, message) => {
    const { log, lines } = captured();
    log[level](message);
    expect(lines).toEqual([`${prefix}${message}`]);
  });

  it('escapes CR, LF and NUL, so a value cannot forge a line', () => {
    const { log, lines } = captured();
    log.warn('Graph sent column(s) this service does not know: "x\r\nerror: forged\u0000".');
    expect(lines).toEqual([
      'warning: Graph sent column(s) this service does not know: "x\\r\\nerror: forged\\u0000".',
    ]);
  });

  it('cuts a huge message, saying how much was left out', () => {
    const { log, lines } = captured();
    log.info('z'.repeat(10_000));
    expect(lines).toEqual([`${'z'.repeat(MAX_LINE_CHARS)}…[+8000 chars]`]);
  });

  it('writes an error with its message escaped, then its stack frames', () => {
    const { log, lines } = captured();
    log.error('Run failed', new Error('storage said "a\nb"'));
    const [first, ...frames] = lines[0]!.split('\n');
    expect(first).toBe('error: Run failed Error: storage said "a\\nb"');
    for (const frame of frames) expect(frame).toMatch(/^ {4}at /);
  });

  it('writes other values inspected on one line', () => {
    const { log, lines } = captured();
    log.info('summary', { period: 'D7\n', rows: [1, 2] });
    expect(lines).toEqual(["summary { period: 'D7\\n', rows: [ 1, 2 ] }"]);
  });
});
