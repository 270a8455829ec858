/**
 * The smaps analyser (issue 7): explain a real process's address space with the engine's merge
 * predicates. Pure TypeScript: the page runs it in a Worker, the CLI (`mergeable analyze`) in Node.
 * @module
 */
export { analyzeSmaps, type Analysis, type AnalyzeOptions, type Pair, type Run, type Summary } from "./analyze.ts";
export { parseSmaps, MAX_CHARS, MAX_WARNINGS, type SmapsVma, type ParsedSmaps, type Progress, type InputWarning } from "./smaps.ts";
export { parseKsmStat, type KsmStat } from "./ksm_stat.ts";
export { parseMaxMapCount } from "./max_map_count.ts";
export { printable, printableText, quote } from "./printable.ts";
export { SmapsInputError, SMAPS_HINT, KSM_STAT_HINT, type InputErrorCode, type InputFile } from "./input_error.ts";
export { REGRESSION_CHAPTER, isAnonymous, type PairKind, type Reason } from "./explain.ts";
export { formatReport, groupPairs, KIND_LABEL, type ReportOptions, type PairGroup } from "./report.ts";
export { vmaViews, suspectWindows, type Window } from "./views.ts";
