/**
 * Input quoted back to a terminal or a page must not carry control characters: an ESC sequence
 * in a bad smaps would set the terminal's title, clear its screen or recolour it. Pure (no
 * Node/DOM): the CLI and the page's Worker both use it.
 * @module
 */

/**
 * C0 controls, DEL, C1 controls, lone surrogates, and the bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) that reorder what a reader sees.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

const escape = (c: string): string => {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`);
};

/** A fragment of input as one printable line: every control character shown as \x1b, \t, \ud800... */
export function printable(s: string): string {
  return s.replace(CONTROL, escape);
}

/** A whole message: like printable(), but its line breaks stay line breaks. */
export function printableText(s: string): string {
  return s.replace(CONTROL, (c) => (c === "\n" ? c : escape(c)));
}

/** A fragment of input for an error message: printable, and at most `max` characters of it. */
export function quote(s: string, max = 60): string {
  return printable(s.length > max ? s.slice(0, max - 3) + "..." : s);
}
