/** Expected failures are returned, not thrown (Next: "model expected errors as return values"). */
export type ActionResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      error: { code: string; message: string; fieldErrors?: Record<string, string[] | undefined> };
    };

export function ok<T>(value: T): ActionResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(
  code: string,
  message: string,
  fieldErrors?: Record<string, string[] | undefined>,
): ActionResult<T> {
  return { ok: false, error: { code, message, ...(fieldErrors ? { fieldErrors } : {}) } };
}
