import { notFound } from "next/navigation";
import { requireUser } from "@/app/_lib/session";
import { db } from "@/lib/db/client";
import { ResourceForm } from "../../new/resource-form";

export default async function EditResourcePage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const r = await db().resource.findFirst({ where: { id, userId: user.id } });
  if (!r || r.kind === "local") notFound();
  const values: Record<string, string> = {
    label: r.label,
    host: r.host ?? "",
    port: String(r.port),
    username: r.username ?? "",
    defaultQueue: r.defaultQueue ?? "",
    project: r.project ?? "",
    workDir: r.workDir ?? "",
    coresPerNode: String(r.coresPerNode ?? 0),
    envSetup: r.envSetup,
    queueLimits: r.queueLimits,
  };
  return (
    <>
      <h1>Edit {r.label}</h1>
      <ResourceForm initial={{ id: r.id, kind: r.kind, values, hasKey: r.credentialId !== null }} />
    </>
  );
}
