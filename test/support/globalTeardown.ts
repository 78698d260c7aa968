import { AzuriteProcess } from '../../tools/azurite';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __azurite?: AzuriteProcess }).__azurite?.stop();
}
