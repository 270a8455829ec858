// What a RunView keeps of a big run, shared by the run worker, the reply schema and the page
// (a leaf module: the page imports it without the engine).

/**
 * Steps that keep their kernel events: a 65,530-mmap run's events alone were 21 MB of reply. The
 * run worker records only these in full (BootOptions.traceDetail), the later ones brief. Each full
 * step also walks every VMA for its delta (snapshot.ts), so their cost grows as its square: with 512
 * instead of 1,024, that run's cold engine time in Chromium was 0.89× (median of 7, side by side).
 */
export const STEP_EVENTS_KEPT = 512;

/** The page's "Export as C" covers runs up to this many steps (a 65,530-mmap program is 17 MB). */
export const C_EXPORT_STEPS = 4096;

/**
 * A step keeps the VMAs in view only up to what a diagram draws: past that the page shows a note,
 * and keeping them made a 65,530-VMA run's view 96 MB (8.3 M indexes).
 */
export const STEP_VMAS_KEPT = 512;

/**
 * Lines of the final /proc/PID/maps a run in the page keeps (the first ones, as `head -n`): the
 * page shows 200 at a time, and formatting all 65,530 of a big run took 240 ms and 5 MB of reply.
 */
export const MAPS_LINES_KEPT = 4096;

/** Lines of a long text panel (console.log, maps) shown before "Show more"; one line is cut at LINE_CHARS. */
export const LINES_SHOWN = 200;
