-- Hardening (issue 13): sign-out ends the session on the server (sessionVersion is carried in the
-- JWT and compared on each request), the server's ssh-agent only for accounts an administrator
-- allowed, a per-user task limit an administrator can raise, and sign-in throttling that survives
-- a restart and is shared by every server instance.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "sshAgentAllowed" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "taskLimit" INTEGER;

CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" DATETIME NOT NULL,
    "lockedUntil" DATETIME
);
