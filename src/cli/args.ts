/**
 * Command-line arguments: positionals and --options (with "--opt value" or "--opt=value").
 * @module
 */

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** A failure reading the input: a sentence, exit code 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

export interface Args {
  positional: string[];
  options: Map<string, string | true>;
}

/** Parse argv; `valued` lists the options that take a value. Unknown options are refused. */
export function parseArgs(argv: string[], valued: readonly string[], flags: readonly string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = a.replace(/^--?/, "").slice(0, eq > 0 ? eq - (a.startsWith("--") ? 2 : 1) : undefined);
    if (valued.includes(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "") throw new UsageError(`option --${name} needs a value`);
      options.set(name, value);
    } else if (flags.includes(name)) {
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return { positional, options };
}

export const opt = (a: Args, name: string): string | undefined => {
  const v = a.options.get(name);
  return typeof v === "string" ? v : undefined;
};
