#!/usr/bin/env node
// The `mergeable` command (package.json "bin"): registers tsx so the TypeScript sources run as-is
// on Node 20, with the repository's tsconfig (its "mergeable" path alias), then runs src/cli/main.ts.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
