import { z } from "zod";

/**
 * Strict patterns for every value that reaches a remote shell or a batch directive. Validation
 * rejects what has no business there; `sh()` quoting makes the rest inert. `#SBATCH`/`#PBS`
 * lines cannot be quoted at all, which is why these are allow-lists, not escapes.
 */
export const ZHostname = z
  .string()
  .trim()
  .min(1, "Enter a host name.")
  .max(253)
  .regex(
    /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(?:\.\d{1,3}){3}$|^\[?[0-9A-Fa-f:]+\]?$/,
    "A host name like login.cluster.org or an IP address.",
  );
export const ZPort = z.coerce.number().int().min(1, "Ports are 1–65535.").max(65535, "Ports are 1–65535.");
export const ZUsername = z
  .string()
  .trim()
  .regex(/^[a-z_][a-z0-9_.-]{0,31}$/i, "A user name of letters, digits, _ . - (at most 32).");
/** queue/partition, project/account, job names */
export const ZBatchWord = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,63}$/, "Letters, digits and _ . + - only (at most 64).");
/** an absolute path, or one under the home directory (~/…): no spaces, quotes, $ or .. */
export const ZRemotePath = z
  .string()
  .trim()
  .regex(
    /^(~\/|\/)[A-Za-z0-9_./+-]*$/,
    "An absolute path (/scratch/me/emanager) or ~/emanager, with letters, digits and _ . / + - only.",
  )
  .refine((p) => !p.split("/").includes(".."), "No .. in paths.")
  .refine((p) => p.length <= 255, "At most 255 characters.");
/**
 * Environment set-up lines for the job script (`module load gcc/12`, `export X=y`, `source /path`).
 * They are the user's own shell lines on their own account, run as written; still, one line per
 * command, no control characters, and no command substitution that would run at submission.
 */
export const ZEnvLine = z
  .string()
  .max(500, "At most 500 characters per line.")
  .refine((l) => !/[\0\r\n]/.test(l), "One command per line.")
  .refine(
    (l) => /^(module|export|source|\.|ml|spack|conda|unset|set|ulimit) /.test(l.trim()) || l.trim() === "",
    "Start with module, ml, export, source, ., spack, conda, unset, set or ulimit.",
  )
  .refine((l) => !/[`]|\$\(/.test(l), "No command substitution (` or $( )).");
export const ZJobId = z.string().regex(/^\d+(?:[_.][A-Za-z0-9-]+)*(?:\[\d+\])?$/, "not a batch job id");
