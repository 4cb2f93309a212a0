import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The most common passwords, refused at sign-up. The list (common-passwords.txt beside this file)
 * is the 10,000 most frequent entries of the ranked password list that zxcvbn-ts ships
 * (@zxcvbn-ts/language-common, MIT), keeping only those of 8 characters or more, since shorter ones
 * are refused anyway. Compared case-insensitively: "Password1" is as guessable as "password1".
 */
let list: Set<string> | null = null;

function load(): Set<string> {
  const text = readFileSync(path.join(process.cwd(), "lib", "auth", "common-passwords.txt"), "utf8");
  return new Set(
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#")),
  );
}

export function isCommonPassword(password: string): boolean {
  list ??= load();
  return list.has(password.toLowerCase());
}
