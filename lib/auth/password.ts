import bcrypt from "bcryptjs";

/** bcrypt cost 10: about 60 ms per hash on a 2-core machine, a sane sign-in cost. */
const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
