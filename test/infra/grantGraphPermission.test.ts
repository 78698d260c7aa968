import { statSync } from 'node:fs';
import { readProjectFile } from './bicep';
import {
  describeGrantCases,
  lastLine,
  makeScratch,
  PRINCIPAL,
  runGrant,
  scriptFor,
  signedIn,
} from './grantHook';

/**
 * The postprovision hook, run by bash against a stand-in Azure CLI in every case (the table is
 * in grantHook.ts; `npm run test:infra` runs the same table with PowerShell 7 against the .ps1).
 */

describe('grant-graph-permission.sh (the postprovision hook)', () => {
  it('is executable, and the hook azure.yaml runs', () => {
    expect(statSync(scriptFor('bash')).mode & 0o111).not.toBe(0);
    expect(readProjectFile('azure.yaml')).toContain('./infra/scripts/grant-graph-permission.sh');
  });

  it('grants when azd starts it with sh (it re-runs itself with bash)', () => {
    const scratch = makeScratch();
    try {
      const run = runGrant(scratch.dir, 'sh', signedIn);
      expect(run.code).toBe(0);
      expect(lastLine(run.stdout)).toContain(`granted Microsoft Graph Reports.Read.All`);
      expect(lastLine(run.stdout)).toContain(`(${PRINCIPAL})`);
    } finally {
      scratch.remove();
    }
  });

  describe('run by bash', () => {
    describeGrantCases('bash');
  });
});

describe('grant-graph-permission.ps1 (its Windows twin), as text; run by pwsh in test:infra', () => {
  const ps1 = readProjectFile('infra/scripts/grant-graph-permission.ps1');

  it('needs PowerShell 7 and says so', () => {
    expect(ps1).toMatch(/^#Requires -Version 7\.0$/m);
  });

  it('never fails the deployment: every way out is exit 0', () => {
    expect([...ps1.matchAll(/\bexit\s+(\d+)/g)].map((match) => match[1])).toEqual(
      expect.arrayContaining(['0']),
    );
    expect(ps1).not.toMatch(/\bexit\s+[1-9]/);
    expect(ps1).not.toMatch(/\bthrow\b/);
  });
});
