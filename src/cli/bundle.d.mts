// Types of bundle.mjs (plain JavaScript so that the bin can load it without tsx).
/** The newest mtime of a file, or of any file under a directory (0 when absent). */
export declare function newest(p: string): number;
/** The bundled CLI's main module (a file URL), built if missing or stale; null when it cannot be built. */
export declare function cliBundle(): Promise<string | null>;
