"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteKeyAction, deleteResourceAction } from "@/app/(app)/resources/actions";

/** Edit, delete the stored key, delete the resource: each destructive step asks first and says why it failed. */
export function ResourceControls({
  resourceId,
  label,
  hasKey,
}: {
  resourceId: string;
  label: string;
  hasKey: boolean;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const act = async (
    question: string,
    action: () => Promise<{ ok: true } | { ok: false; error: { message: string } }>,
  ) => {
    if (!window.confirm(question)) return;
    const r = await action();
    setMessage(r.ok ? null : r.error.message);
    router.refresh();
  };
  return (
    <div className="row" style={{ gap: 8, flexWrap: "wrap" }}>
      <Link className="btn" href={`/resources/${resourceId}/edit`}>
        Edit
      </Link>
      {hasKey ? (
        <button
          className="btn"
          type="button"
          onClick={() =>
            void act(
              `Delete the stored private key of ${label}? It falls back to the server's ssh-agent.`,
              () => deleteKeyAction(resourceId),
            )
          }
        >
          Delete key
        </button>
      ) : null}
      <button
        className="btn danger"
        type="button"
        onClick={() =>
          void act(`Delete ${label} and its probe history?`, () => deleteResourceAction(resourceId))
        }
      >
        Delete
      </button>
      {message ? (
        <p className="notice error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}
