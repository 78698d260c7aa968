/**
 * Log lines written in batches: every line logged during one turn of the event loop goes out in
 * one write on the next (`setImmediate`), instead of one write each. To a file or a pipe,
 * stdout writes are synchronous, so a busy host would otherwise spend a system call per line,
 * two per request. Lines keep their order, and `flush` writes what is pending at once (before
 * the process prints anything else, and at exit).
 */
export interface LineWriter {
  readonly write: (line: string) => void;
  flush(): void;
}

export function batchedLines(
  output: (text: string) => void = (text) => void process.stdout.write(text),
): LineWriter {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    output(`${lines.join('\n')}\n`);
  };
  return {
    write: (line) => {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
