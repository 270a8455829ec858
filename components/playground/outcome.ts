// What to tell the reader about a run that produced no output: the status line and the error box.
import type { RunOutcome } from './run-client';
import { grouped } from '../../src/site/grouped';

export interface OutcomeMessage { status: string; name: string; message: string; line?: number; column?: number }

export function outcomeMessage(res: Exclude<RunOutcome, { kind: 'ok' }>): OutcomeMessage {
  switch (res.kind) {
    case 'compile': {
      const at = res.line ? ` (line ${res.line}${res.column ? `, column ${res.column}` : ''})` : '';
      // The sandbox reports a missing import (src/site/import-check.ts) as a compile error too.
      const name = /^The module "mergeable"/.test(res.message) ? 'Import error' : 'SyntaxError';
      return { status: `The code does not compile${at}: ${res.message}`, name, message: res.message, line: res.line, column: res.column };
    }
    case 'timeout': {
      const s = res.limitMs / 1000;
      const calls = `${grouped(res.syscalls)} syscall${res.syscalls === 1 ? '' : 's'}`;
      const message = res.growing
        ? `stopped after ${s} s; ${calls} so far, and still making calls: the scenario is large, not stuck. Make it smaller (fewer calls) to see its output.`
        : res.syscalls > 0
          ? `stopped after ${s} s; ${calls} ran, then none for the last second (an infinite loop?)`
          : `stopped after ${s} s without making a syscall (an infinite loop?)`;
      return { status: `Stopped: ${message}. Your code is unchanged.`, name: 'Timeout', message };
    }
    case 'stopped':
      return { status: 'Stopped. Your code is unchanged; press Run to start again.', name: 'Stopped', message: 'the run was stopped before it finished' };
    case 'failed':
      return { status: `The run failed: ${res.message}. Your code is unchanged; press Run to try again.`, name: 'Error', message: res.message };
  }
}
