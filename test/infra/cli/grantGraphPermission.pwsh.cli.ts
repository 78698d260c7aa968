import { spawnSync } from 'node:child_process';
import { describeGrantCases, findPwsh, scriptFor } from '../grantHook';

/**
 * The Windows postprovision hook, run by PowerShell 7.6.10 against the same stand-in az and
 * the same table of cases as the bash hook (test/infra/grantHook.ts), with the same outcomes.
 */

function pwsh(command: string) {
  const result = spawnSync(
    findPwsh(),
    ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', command],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status !== 0) throw new Error(`pwsh failed: ${result.stderr}`);
  return result.stdout.trim();
}

describe('grant-graph-permission.ps1, run by pwsh', () => {
  it('runs on PowerShell 7', () => {
    expect(pwsh('$PSVersionTable.PSVersion.Major')).toBe('7');
  });

  it('parses without errors', () => {
    const errors = pwsh(
      `$tokens = $null; $errors = $null; ` +
        `$null = [System.Management.Automation.Language.Parser]::ParseFile('${scriptFor('pwsh')}', [ref]$tokens, [ref]$errors); ` +
        `$errors | ForEach-Object { $_.ToString() }; 'parse errors: ' + $errors.Count`,
    );
    expect(errors).toBe('parse errors: 0');
  });

  describeGrantCases('pwsh');
});
