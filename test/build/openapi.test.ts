import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContract, contractJson, parseContract } from '../../build/openapi';
import { CONTRACT_REPORTS } from '../../shared/http/openApiContract';

const root = join(__dirname, '..', '..');
const minimal = 'openapi: 3.1.0\ninfo:\n  title: t\n  version: 1.0.0\npaths: {}\n';

describe('the contract build step', () => {
  it('leaves dist/openapi.json as the JSON of openapi.yaml (jest built it as npm run build does)', () => {
    const built = readFileSync(join(root, 'dist', 'openapi.json'), 'utf8');
    expect(built).toBe(contractJson(readFileSync(join(root, 'openapi.yaml'), 'utf8')));
  });

  it('keeps YAML 1.2 scalars as written: dates and versions stay strings', () => {
    const contract = parseContract(
      `${minimal}x-sample:\n  day: 2026-11-26\n  period: '7'\n  flag: yes\n`,
    );
    expect(contract['x-sample']).toEqual({ day: '2026-11-26', period: '7', flag: 'yes' });
    expect(contract.openapi).toBe('3.1.0');
  });

  it.each([
    [
      'a duplicate key, which JSON would silently resolve',
      `${minimal}paths: {}\n`,
      /not valid YAML.*[Mm]ap keys must be unique/,
    ],
    ['broken YAML', 'openapi: 3.1.0\ninfo: [unclosed\n', /not valid YAML/],
    ['a list instead of a document', '- openapi: 3.1.0\n', /must hold one mapping/],
    ['OpenAPI 3.0', minimal.replace('3.1.0', '3.0.3'), /must be OpenAPI 3\.1.*got "3\.0\.3"/],
    ['a number for the version', minimal.replace('3.1.0', '3.1'), /must be OpenAPI 3\.1.*got 3\.1/],
  ])('refuses %s', (_, yaml, message) => {
    expect(() => parseContract(yaml)).toThrow(message);
  });

  it('writes dist/openapi.json under the root it is given, creating dist/', () => {
    const folder = mkdtempSync(join(tmpdir(), 'contract-build-'));
    try {
      writeFileSync(join(folder, 'openapi.yaml'), minimal);
      // A document of no report: nothing to expand.
      const output = buildContract(folder, (contract) => contract);
      expect(output).toBe(join(folder, 'dist', 'openapi.json'));
      expect(JSON.parse(readFileSync(output, 'utf8'))).toEqual({
        openapi: '3.1.0',
        info: { title: 't', version: '1.0.0' },
        paths: {},
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("writes every catalogued report's paths from openapi.yaml by default", () => {
    const folder = mkdtempSync(join(tmpdir(), 'contract-build-'));
    try {
      writeFileSync(join(folder, 'openapi.yaml'), readFileSync(join(root, 'openapi.yaml')));
      const built = JSON.parse(readFileSync(buildContract(folder), 'utf8')) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(built.paths)).toEqual(
        expect.arrayContaining(
          CONTRACT_REPORTS.flatMap((report) => [
            `/reports/${report.routeSlug}`,
            `/reports/${report.routeSlug}/history`,
          ]),
        ),
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses an openapi.yaml whose first report no longer matches its definition, writing nothing', () => {
    const folder = mkdtempSync(join(tmpdir(), 'contract-build-'));
    try {
      mkdirSync(join(folder, 'dist'));
      const yaml = readFileSync(join(root, 'openapi.yaml'), 'utf8');
      // The row schema loses the video column the definition still has.
      const stale = yaml.replace(
        'required: [reportRefreshDate, reportDate, reportPeriod, audio, video]',
        'required: [reportRefreshDate, reportDate, reportPeriod, audio]',
      );
      expect(stale).not.toBe(yaml);
      writeFileSync(join(folder, 'openapi.yaml'), stale);
      expect(() => buildContract(folder)).toThrow(
        /openapi\.yaml does not match the definition of skype-p2p-minute-counts: ReportRow/,
      );
      expect(existsSync(join(folder, 'dist', 'openapi.json'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('writes nothing from a contract it refuses', () => {
    const folder = mkdtempSync(join(tmpdir(), 'contract-build-'));
    try {
      mkdirSync(join(folder, 'dist'));
      writeFileSync(join(folder, 'openapi.yaml'), minimal.replace('3.1.0', '3.0.3'));
      expect(() => buildContract(folder)).toThrow(/OpenAPI 3\.1/);
      expect(existsSync(join(folder, 'dist', 'openapi.json'))).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
