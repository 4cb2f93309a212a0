/**
 * Every count a skeleton can ask for, bounded. The counts are checked when they are read, and
 * their products (iterations × the tasks of a group, tasks × files per task) before anything is
 * unrolled or generated, so that a 500-byte file cannot make the server build millions of
 * objects before it is refused (issue 13: `Iteration_Num = 10000000` exhausted a 4 GB heap).
 * The file-reference bound is what lets the largest accepted skeleton be expanded and emitted
 * in a 512 MB heap (lib/skeleton/limits.test.ts measures it).
 */

/** tasks after iterations are unrolled */
export const MAX_TASKS = 1_000_000;
/** stages after iterations are unrolled (each becomes a stage of the run, with its own directories) */
export const MAX_STAGES = 10_000;
/** input and output files over all tasks (a combination mapping of m files counts m per task) */
export const MAX_FILE_REFS = 2_000_000;
/** input or output slots of one task; one line may not ask for millions of objects */
export const MAX_SLOTS = 100_000;

/**
 * Sizes and lengths. A file larger than 1 PiB or a task longer than ten years is a typo (or
 * `1e308`), and the setup script would hand it to `dd` as it is.
 */
export const MAX_SIZE_BYTES = 2 ** 50;
export const MAX_LENGTH = 315_360_000;
/** a length in flops mode: 10^18 FLOPs is an hour of an exascale machine */
export const MAX_FLOPS = 1e18;
/** Num_Processes, Read_Buffer and Write_Buffer are printed into every command: keep them sane */
export const MAX_PROCESSES = 1_000_000;
export const MAX_BUFFER = 2 ** 30;
