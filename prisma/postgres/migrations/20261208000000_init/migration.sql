-- PostgreSQL: the whole schema as of prisma/migrations/20261207000000_prediction (SQLite), generated
-- with `node scripts/prisma.mjs migrate diff --config prisma.pg.config.ts --from-empty
-- --to-schema-datamodel prisma/postgres/schema.prisma --script`. Later changes get a migration in both folders.
-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "notifyOnRunEnd" BOOLEAN NOT NULL DEFAULT false,
    "notifyEmail" TEXT,
    "notifyWebhook" TEXT,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "sshAgentAllowed" BOOLEAN NOT NULL DEFAULT false,
    "taskLimit" INTEGER,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "encryptedKey" TEXT,
    "encryptedPassphrase" TEXT,
    "publicFingerprint" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "host" TEXT,
    "port" INTEGER NOT NULL DEFAULT 22,
    "username" TEXT,
    "credentialId" TEXT,
    "defaultQueue" TEXT,
    "project" TEXT,
    "workDir" TEXT,
    "coresPerNode" INTEGER,
    "queueLimits" TEXT NOT NULL DEFAULT '{}',
    "envSetup" TEXT NOT NULL DEFAULT '',
    "hostKeyAlgo" TEXT,
    "hostKey" TEXT,
    "hostKeyFingerprint" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceSnapshot" (
    "id" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "errorCode" TEXT,
    "data" TEXT,
    "durationMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ResourceSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Skeleton" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'aimes',
    "summary" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Skeleton_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "skeletonId" TEXT,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'NEW',
    "stateReason" TEXT,
    "strategy" TEXT NOT NULL,
    "seed" INTEGER NOT NULL DEFAULT 0,
    "maxRetries" INTEGER NOT NULL DEFAULT 1,
    "plan" TEXT NOT NULL,
    "resources" TEXT NOT NULL DEFAULT '[]',
    "workload" TEXT NOT NULL DEFAULT '{}',
    "dir" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "prediction" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pilot" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "resourceId" TEXT,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "queue" TEXT,
    "project" TEXT,
    "cores" INTEGER NOT NULL,
    "nodes" INTEGER NOT NULL DEFAULT 1,
    "walltimeMinutes" DOUBLE PRECISION NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'NEW',
    "reason" TEXT,
    "jobId" TEXT,
    "sandbox" TEXT,
    "logOffset" INTEGER NOT NULL DEFAULT 0,
    "inboxSeq" INTEGER NOT NULL DEFAULT 0,
    "lastHeartbeat" TIMESTAMP(3),
    "cancelRequestedAt" TIMESTAMP(3),
    "polledAt" TIMESTAMP(3),
    "submittedAt" TIMESTAMP(3),
    "activeAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Pilot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "stageIndex" INTEGER NOT NULL,
    "cores" INTEGER NOT NULL,
    "length" DOUBLE PRECISION NOT NULL,
    "spec" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'NEW',
    "reason" TEXT,
    "pilotId" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "exitCode" INTEGER,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" SERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),

    CONSTRAINT "SignInThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Credential_userId_label_key" ON "Credential"("userId", "label");

-- CreateIndex
CREATE UNIQUE INDEX "Resource_userId_label_key" ON "Resource"("userId", "label");

-- CreateIndex
CREATE INDEX "ResourceSnapshot_resourceId_takenAt_idx" ON "ResourceSnapshot"("resourceId", "takenAt");

-- CreateIndex
CREATE INDEX "Skeleton_userId_createdAt_idx" ON "Skeleton"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_userId_createdAt_idx" ON "Run"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_state_idx" ON "Run"("state");

-- CreateIndex
CREATE INDEX "Pilot_runId_idx" ON "Pilot"("runId");

-- CreateIndex
CREATE INDEX "Task_runId_state_idx" ON "Task"("runId", "state");

-- CreateIndex
CREATE INDEX "Task_pilotId_state_idx" ON "Task"("pilotId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "Task_runId_taskId_key" ON "Task"("runId", "taskId");

-- CreateIndex
CREATE INDEX "Event_runId_id_idx" ON "Event"("runId", "id");

-- CreateIndex
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "Credential"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceSnapshot" ADD CONSTRAINT "ResourceSnapshot_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Skeleton" ADD CONSTRAINT "Skeleton_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_skeletonId_fkey" FOREIGN KEY ("skeletonId") REFERENCES "Skeleton"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pilot" ADD CONSTRAINT "Pilot_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pilot" ADD CONSTRAINT "Pilot_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Task" ADD CONSTRAINT "Task_pilotId_fkey" FOREIGN KEY ("pilotId") REFERENCES "Pilot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

