/**
 * shared/config owns reading the app's settings: every setting is declared once in the registry
 * (`registry.ts`: default, range, allowed values, meaning), and read and validated here from one
 * flat map (process.env in Azure, where app settings arrive as environment variables) into plain
 * data, without any I/O. A bad or missing setting throws a ConfigError that names it.
 *
 * By concern: `values.ts` reads one setting in one validation style; `azureCredentialSettings.ts`
 * picks the Azure credential; `graph.ts` the Graph URL, auth and limits; `storage.ts` the
 * archive's storage; `snapshot.ts` the snapshot job's periods and budget; `cache.ts` how often
 * Graph may be asked; `configKeys.ts` keys a configuration once read, without its secrets. This
 * file is the public entry: import from `shared/config`, not from the files behind it.
 */
export type { Settings } from './values';
export { choiceSetting, integerSetting, rawSetting, textSetting } from './values';
export type { AzureCredentialSettings } from './azureCredentialSettings';
export { readAzureCredential } from './azureCredentialSettings';
export type { GraphAuth, GraphConfig } from './graph';
export { DEFAULT_GRAPH_BASE_URL, readGraphConfig } from './graph';
export type { StorageConfig, StorageConnection } from './storage';
export { readOptionalStorageConfig, readStorageConfig } from './storage';
export type { CacheConfig } from './cache';
export { readCacheConfig } from './cache';
export type { SnapshotConfig } from './snapshot';
export { readSnapshotConfig, readSnapshotPeriods } from './snapshot';
export { readEnabledReports } from './reports';
export type { SettingConcern, SettingDefinition } from './registry';
export { SETTINGS, settingDefinition } from './registry';
export { ConfigKeys, stableJson } from './configKeys';
