import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "./account-input";
import { isCommonPassword } from "./common-passwords";

describe("sign-up refuses the most common passwords", () => {
  it.each(["password", "12345678", "Password1", "iloveyou", "qwertyuiop", "trustno1"])(
    "refuses %j",
    (password) => {
      const r = ZSignUpInput.safeParse({ email: "a@b.org", password });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/most common|at least 8/);
    },
  );
  it("accepts an uncommon one", () => {
    expect(ZSignUpInput.safeParse({ email: "a@b.org", password: "a long enough password" }).success).toBe(
      true,
    );
    expect(isCommonPassword("correct horse battery")).toBe(false);
  });
});
