import { requireUser } from "@/app/_lib/session";
import { BundleImport } from "./bundle-import";

export default async function ImportResourcesPage() {
  await requireUser();
  return (
    <>
      <h1>Import a bundle configuration</h1>
      <p className="muted">
        Paste the original AIMES bundle file (<code>cluster_type=… hostname=… username=…</code> lines). Each
        machine becomes an SSH resource; passwords are never stored, so upload a key for each afterwards
        (Edit) and use Test connection to pin its host key and read its queues.
      </p>
      <BundleImport />
    </>
  );
}
