import { azureCredential } from '../../../shared/app/azureCredential';
import { readGraphConfig } from '../../../shared/config';
import { graphTokenProvider } from '../../../shared/graph/tokenProvider';
import { CredentialError } from '../../../shared/common/errors';

describe('the Graph token provider', () => {
  it('hands out the static token for a loopback Graph stand-in', async () => {
    const config = readGraphConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:1/v1.0',
      GRAPH_ACCESS_TOKEN: 'local',
    });
    await expect(graphTokenProvider(config, undefined).getToken()).resolves.toBe('local');
  });

  it('builds no credential of its own: the composition root hands in the one it keeps', () => {
    const config = readGraphConfig({ GRAPH_CREDENTIAL: 'azure-cli' });
    expect(() => graphTokenProvider(config, undefined)).toThrow(
      "Graph's azure-cli credential must be handed in",
    );
  });

  it('asks the credential it is given, so its caller can share one', async () => {
    const asked: string[] = [];
    const credential = {
      getToken: (scope: string | string[]) => {
        asked.push(String(scope));
        return Promise.resolve({ token: 'shared', expiresOnTimestamp: Date.now() + 60_000 });
      },
    };
    const config = readGraphConfig({ GRAPH_CREDENTIAL: 'azure-cli' });
    await expect(graphTokenProvider(config, credential).getToken()).resolves.toBe('shared');
    expect(asked).toEqual(['https://graph.microsoft.com/.default']);
  });

  it('turns a credential failure into CredentialError naming the credential kind, keeping the detail as its cause', async () => {
    // No az on this PATH: the credential fails locally, without contacting anything even where
    // a developer has the Azure CLI installed and logged in.
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const failure = graphTokenProvider(
        readGraphConfig({ GRAPH_CREDENTIAL: 'azure-cli' }),
        azureCredential({ kind: 'azure-cli' }),
      ).getToken();
      await expect(failure).rejects.toBeInstanceOf(CredentialError);
      await expect(failure).rejects.toMatchObject({ cause: expect.any(Error) });
      await expect(failure).rejects.toThrow(
        /^Could not get a token for https:\/\/graph\.microsoft\.com\/\.default from the azure-cli credential \(\w+\)/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
