import { RegistrationRecorder, loadRegistrations } from '../tools/localHost/registrations';
import { projectRoot } from '../tools/projectRoot';
import Module from 'node:module';

/**
 * One cold start, in a fresh `node`: `functions` loads the app's entry files (package.json
 * `main`), whose `app.http` / `app.timer` calls register into the worker API stand-in exactly as
 * in Azure; `library` loads `@azure/functions` alone under the same stand-in, the floor no app
 * can go below. The parent times the whole process, start to exit; it exits as soon as the
 * modules are loaded, as a handle left open by a module would otherwise be timed too.
 */
const mode = process.argv[2];
if (mode === 'functions') {
  const registered = loadRegistrations(projectRoot());
  console.log(JSON.stringify({ registered: registered.length }));
  process.exit(0);
} else if (mode === 'library') {
  const recorder = new RegistrationRecorder();
  const moduleProto = Module.prototype as unknown as { require: (id: string) => unknown };
  const originalRequire = moduleProto.require;
  moduleProto.require = function (this: unknown, id: string) {
    return id === '@azure/functions-core' ? recorder.coreApi : originalRequire.call(this, id);
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@azure/functions');
  console.log(JSON.stringify({ registered: recorder.functions.length }));
  process.exit(0);
} else {
  console.error('usage: node dist/bench/coldStart.js functions|library');
  process.exitCode = 2;
}
