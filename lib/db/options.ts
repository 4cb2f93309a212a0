/** Options every Prisma client gets, whichever the database: secrets are omitted from every query unless a caller asks for them explicitly. */
export const CLIENT_OPTIONS = {
  omit: { user: { passwordHash: true }, credential: { encryptedKey: true, encryptedPassphrase: true } },
} as const;
