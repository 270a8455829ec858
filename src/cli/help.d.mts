// Types of help.mjs (plain JavaScript so that the bin can load it without tsx).
export declare const VERSIONS: string[];
export declare const LATEST: string;
export declare const DEFAULT_TIMEOUT_S: number;
export declare const HELP: string;
export declare const COMMAND_HELP: Record<"run" | "analyze" | "versions", string>;
export declare function versionsText(): string;
export declare function helpFor(argv: readonly string[]): string | null;
