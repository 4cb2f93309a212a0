-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'user',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "notifyOnRunEnd" BOOLEAN NOT NULL DEFAULT false,
    "notifyEmail" TEXT,
    "notifyWebhook" TEXT
);

-- CreateTable
CREATE TABLE "Credential" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "encryptedKey" TEXT,
    "encryptedPassphrase" TEXT,
    "publicFingerprint" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Credential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Resource_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Resource_credentialId_fkey" FOREIGN KEY ("credentialId") REFERENCES "Credential" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ResourceSnapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "resourceId" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "errorCode" TEXT,
    "data" TEXT,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "ResourceSnapshot_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Skeleton" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'aimes',
    "summary" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Skeleton_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "cancelRequestedAt" DATETIME,
    CONSTRAINT "Run_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_skeletonId_fkey" FOREIGN KEY ("skeletonId") REFERENCES "Skeleton" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Pilot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "resourceId" TEXT,
    "label" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "queue" TEXT,
    "project" TEXT,
    "cores" INTEGER NOT NULL,
    "nodes" INTEGER NOT NULL DEFAULT 1,
    "walltimeMinutes" REAL NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'NEW',
    "reason" TEXT,
    "jobId" TEXT,
    "sandbox" TEXT,
    "logOffset" INTEGER NOT NULL DEFAULT 0,
    "inboxSeq" INTEGER NOT NULL DEFAULT 0,
    "lastHeartbeat" DATETIME,
    "cancelRequestedAt" DATETIME,
    "polledAt" DATETIME,
    "submittedAt" DATETIME,
    "activeAt" DATETIME,
    "endedAt" DATETIME,
    CONSTRAINT "Pilot_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Pilot_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "stageIndex" INTEGER NOT NULL,
    "cores" INTEGER NOT NULL,
    "length" REAL NOT NULL,
    "spec" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'NEW',
    "reason" TEXT,
    "pilotId" TEXT,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "exitCode" INTEGER,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Task_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Task_pilotId_fkey" FOREIGN KEY ("pilotId") REFERENCES "Pilot" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "runId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "reason" TEXT,
    "data" TEXT,
    CONSTRAINT "Event_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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

