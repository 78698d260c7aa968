import { readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';

/**
 * What the Azure Functions host learns when the app loads: each `app.http` / `app.timer` call
 * reaches the worker's `@azure/functions-core` API as `registerFunction(metadata, handler)`. A
 * stand-in for that API records the same calls, so the local host and the tests see exactly what
 * Azure would, with no list of routes or schedules of their own.
 */
export interface BindingMetadata {
  readonly type: string;
  readonly direction: string;
  readonly route?: string;
  readonly methods?: string[];
  readonly authLevel?: string;
  readonly schedule?: string;
  readonly runOnStartup?: boolean;
  readonly [key: string]: unknown;
}

export interface RetryMetadata {
  readonly retryStrategy?: string;
  readonly maxRetryCount?: number;
  readonly minimumInterval?: { seconds?: number };
  readonly maximumInterval?: { seconds?: number };
  readonly delayInterval?: { seconds?: number };
}

export interface RegisteredFunction {
  readonly name: string;
  readonly trigger: BindingMetadata;
  readonly retry?: RetryMetadata;
  readonly handler: (...args: unknown[]) => unknown;
}

export class RegistrationRecorder {
  readonly functions: RegisteredFunction[] = [];

  /** The subset of the worker's core API that @azure/functions calls while registering. */
  readonly coreApi = {
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
    log: () => undefined,
    registerFunction: (
      metadata: {
        name: string;
        bindings: Record<string, BindingMetadata>;
        retryOptions?: RetryMetadata;
      },
      handler: (...args: unknown[]) => unknown,
    ) => {
      const trigger = Object.values(metadata.bindings).find(
        (binding) => binding.direction === 'in' && binding.type.endsWith('Trigger'),
      );
      if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
      this.functions.push({ name: metadata.name, trigger, retry: metadata.retryOptions, handler });
      return { dispose: () => undefined };
    },
  };
}

/** The files the host loads: package.json `main`, a path whose file name may hold `*`. */
export function functionEntryFiles(projectRoot: string): string[] {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    main?: string;
  };
  if (!pkg.main) throw new Error('package.json has no "main": the host would find no functions.');
  const folder = join(projectRoot, dirname(pkg.main));
  const pattern = new RegExp(
    `^${basename(pkg.main)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  return readdirSync(folder)
    .filter((file) => pattern.test(file))
    .sort()
    .map((file) => join(folder, file));
}

/**
 * Loads the app's function files as the Azure worker does, answering `@azure/functions-core`
 * with the recorder (the worker also hands that module out through `require`).
 */
export function loadRegistrations(projectRoot: string): RegisteredFunction[] {
  const recorder = new RegistrationRecorder();
  const moduleProto = Module.prototype as unknown as { require: (id: string) => unknown };
  const originalRequire = moduleProto.require;
  moduleProto.require = function (this: unknown, id: string) {
    return id === '@azure/functions-core' ? recorder.coreApi : originalRequire.call(this, id);
  };
  try {
    // Loaded by path at run time, as the worker does: these files are the app, not our imports.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const file of functionEntryFiles(projectRoot)) require(file);
  } finally {
    moduleProto.require = originalRequire;
  }
  if (recorder.functions.length === 0) {
    // @azure/functions looks the core API up once: if something asked before us, it is in
    // test mode and skipped every registration.
    throw new Error(
      'The app registered no functions: check package.json "main" and that @azure/functions was not loaded before the host.',
    );
  }
  return recorder.functions;
}

function durationMs(duration: RetryMetadata['minimumInterval']): number {
  return (duration?.seconds ?? 0) * 1000;
}

/** The host's retry schedule for a function: delays before each retry, in ms. */
export function retryDelaysMs(retry: RetryMetadata | undefined): number[] {
  if (!retry?.maxRetryCount || retry.maxRetryCount < 0) return [];
  return Array.from({ length: retry.maxRetryCount }, (_, attempt) => {
    if (retry.retryStrategy === 'fixedDelay') return durationMs(retry.delayInterval);
    const min = durationMs(retry.minimumInterval);
    const max = durationMs(retry.maximumInterval);
    return Math.min(max, min * 2 ** attempt);
  });
}
