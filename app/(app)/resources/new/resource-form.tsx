"use client";
import { useState, type FormEvent } from "react";
import { createResourceAction, updateResourceAction } from "../actions";

/** The values an edit starts from (never the key: it is write-only). */
export interface ResourceInitial {
  id: string;
  kind: string;
  values: Record<string, string>;
  hasKey: boolean;
}

const FIELDS: { name: string; label: string; placeholder?: string; type?: string }[] = [
  { name: "label", label: "Label", placeholder: "stampede" },
  { name: "host", label: "Host", placeholder: "login.cluster.org" },
  { name: "port", label: "Port", placeholder: "22", type: "number" },
  { name: "username", label: "User name" },
  { name: "defaultQueue", label: "Default queue / partition", placeholder: "normal" },
  { name: "project", label: "Project / allocation (optional)" },
  { name: "workDir", label: "Working directory", placeholder: "~/emanager" },
  { name: "coresPerNode", label: "Cores per node (0: from the probe)", placeholder: "0", type: "number" },
];

export function ResourceForm({ initial }: { initial?: ResourceInitial }) {
  const [errors, setErrors] = useState<Record<string, string[] | undefined>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? "");
    setBusy(true);
    const fields = {
      label: v("label"),
      kind: v("kind") as "slurm",
      host: v("host"),
      port: Number(v("port") || 22),
      username: v("username"),
      defaultQueue: v("defaultQueue"),
      project: v("project"),
      workDir: v("workDir"),
      envSetup: v("envSetup"),
      privateKey: v("privateKey"),
      passphrase: v("passphrase"),
    };
    const r = initial
      ? await updateResourceAction(initial.id, {
          ...fields,
          coresPerNode: Number(v("coresPerNode") || 0),
          queueLimits: v("queueLimits") || "{}",
        })
      : await createResourceAction(fields);
    setBusy(false);
    if (r && !r.ok) {
      setMessage(r.error.message);
      setErrors(r.error.fieldErrors ?? {});
    }
  }
  return (
    <form className="stack panel" onSubmit={onSubmit} style={{ maxWidth: 640 }}>
      <label>
        Batch system
        <select name="kind" defaultValue={initial?.kind ?? "slurm"}>
          <option value="slurm">SLURM</option>
          <option value="pbs">PBS Pro / Torque</option>
          <option value="lsf">LSF</option>
          <option value="sge">Grid Engine (SGE)</option>
          <option value="fork">none (fork on the login host)</option>
        </select>
      </label>
      {FIELDS.map((x) => (
        <label key={x.name}>
          {x.label}
          <input
            name={x.name}
            placeholder={x.placeholder}
            type={x.type ?? "text"}
            defaultValue={initial?.values[x.name] ?? ""}
            aria-invalid={errors[x.name] ? true : undefined}
          />
          {errors[x.name] ? <span className="field-error">{errors[x.name]![0]}</span> : null}
        </label>
      ))}
      <label>
        Environment set-up (one per line: module load …, export …)
        <textarea name="envSetup" rows={3} defaultValue={initial?.values.envSetup ?? ""} />
        {errors.envSetup ? <span className="field-error">{errors.envSetup[0]}</span> : null}
      </label>
      {initial ? (
        <label>
          Per-queue limits (JSON; what the probe cannot see, e.g. a site policy)
          <textarea
            name="queueLimits"
            rows={3}
            defaultValue={initial.values.queueLimits ?? "{}"}
            placeholder='{"normal": {"maxWalltimeSeconds": 172800, "maxCoresPerJob": 4096}}'
          />
          {errors.queueLimits ? <span className="field-error">{errors.queueLimits[0]}</span> : null}
        </label>
      ) : null}
      <label>
        {initial?.hasKey
          ? "Private key: a key is stored (encrypted). Paste a new one to replace it, or leave empty to keep it."
          : "Private key (stored encrypted; never shown again). Leave empty to use the server's ssh-agent (administrators, and accounts an administrator allowed)."}
        <textarea name="privateKey" rows={5} placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" />
        {errors.privateKey ? <span className="field-error">{errors.privateKey[0]}</span> : null}
      </label>
      <label>
        Key passphrase (optional)
        <input name="passphrase" type="password" autoComplete="off" />
      </label>
      {message ? (
        <p className="notice error" role="alert">
          {message}
        </p>
      ) : null}
      <button className="btn primary" type="submit" disabled={busy}>
        {busy ? "Saving…" : initial ? "Save changes" : "Save resource"}
      </button>
    </form>
  );
}
