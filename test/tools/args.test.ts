import { readOptions, readPort } from '../../tools/args';

describe('command-line options', () => {
  const spec = { port: { type: 'string' }, verbose: { type: 'boolean' } } as const;

  it('reads --name value and --name=value alike', () => {
    expect(readOptions(['--port', '7072'], spec)).toEqual({ port: '7072' });
    expect(readOptions(['--port=7072', '--verbose'], spec)).toEqual({
      port: '7072',
      verbose: true,
    });
    expect(readOptions([], spec)).toEqual({});
  });

  it('refuses a misspelt option instead of silently using a default, listing the known ones', () => {
    expect(() => readOptions(['--prot', '7077'], spec)).toThrow(
      /--prot.*\(options: --port, --verbose\)/,
    );
  });

  it('refuses stray arguments and a missing value', () => {
    expect(() => readOptions(['7072'], spec)).toThrow();
    expect(() => readOptions(['--port'], spec)).toThrow(/--port/);
  });

  it('reads a port, or the default when absent', () => {
    expect(readPort('7072', 7071)).toBe(7072);
    expect(readPort(undefined, 7071)).toBe(7071);
  });

  it.each(['0', '65536', 'abc', '70.5', '-1'])('rejects port %p, naming the option', (raw) => {
    expect(() => readPort(raw, 7071)).toThrow(
      `--port must be a port number from 1 to 65535 (got "${raw}").`,
    );
  });
});
