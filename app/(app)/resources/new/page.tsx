import { requireUser } from "@/app/_lib/session";
import { ResourceForm } from "./resource-form";

export default async function NewResourcePage() {
  await requireUser();
  return (
    <>
      <h1>Add an SSH resource</h1>
      <ResourceForm />
    </>
  );
}
