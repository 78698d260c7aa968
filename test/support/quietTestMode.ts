// Outside the Functions host, @azure/functions warns that it runs in test mode, which these
// tests do on purpose; other warnings still show.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const first = String(args[0] ?? '');
  if (
    /^WARNING: (Failed to detect the Azure Functions runtime|Skipping call to register function)/.test(
      first,
    )
  )
    return;
  warn(...args);
};
