#!/usr/bin/env node
// The `mergeable` command (package.json "bin"). Help and `versions` are answered from plain
// JavaScript; the other commands run the CLI's prebuilt bundle (src/cli/bundle.mjs), or else
// register tsx (with the repository's tsconfig and its "mergeable" path alias) so the TypeScript
// sources run as-is on Node 20, then run src/cli/main.ts.
import { fileURLToPath } from "node:url";
import { helpFor, versionsText } from "../src/cli/help.mjs";

// A reader that closes the pipe early (`mergeable run x.ts | head -1`) gets EPIPE: stop writing
// and exit quietly with the command's own status (0 when it succeeded), not 141. Node ignores
// SIGPIPE, so no signal ends us, and closing the pipe is the reader's choice, not our failure:
// a 141 would fail `set -o pipefail` scripts that only wanted the first lines.
const closed = new Set();
const writer = (stream) => {
  stream.on("error", (e) => {
    if (e.code !== "EPIPE") throw e;
    closed.add(stream);
  });
  return (s) => { if (!closed.has(stream)) stream.write(s); };
};
const io = { out: writer(process.stdout), err: writer(process.stderr) };

const argv = process.argv.slice(2);
const help = helpFor(argv);
if (help !== null) {
  io.out(help);
  process.exitCode = argv.length === 0 ? 2 : 0;
} else if (argv[0] === "versions" && argv.length === 1) {
  io.out(versionsText());
} else {
  // The prebuilt bundle of the CLI (src/cli/bundle.mjs) when it can be had, else the sources via tsx.
  const { cliBundle } = await import("../src/cli/bundle.mjs");
  const bundle = await cliBundle();
  let main = bundle ? await import(bundle).then((m) => m.main, () => null) : null;
  if (!main) {
    const { register } = await import("tsx/esm/api");
    register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
    ({ main } = await import("../src/cli/main.ts"));
  }
  process.exitCode = await main(argv, io);
}
