import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { newAccount, signedInContext, signUpInBrowser } from "./helpers";

// The real loopback SLURM + sshd (scripts/cluster/up.sh; `npm test` starts it).
function cluster() {
  execFileSync("node", [path.join(process.cwd(), "scripts/cluster/ensure.mjs")], { stdio: "pipe" });
  return JSON.parse(
    readFileSync(
      path.join(process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster", "cluster.json"),
      "utf8",
    ),
  ) as { host: string; port: number; user: string; privateKeyPath: string; hostKeyFile: string };
}

async function addResource(
  page: import("@playwright/test").Page,
  label: string,
  port: number,
  key: string,
  c: ReturnType<typeof cluster>,
) {
  await page.goto("/resources/new");
  await page.getByLabel("Label", { exact: true }).fill(label);
  await page.getByLabel("Host", { exact: true }).fill(c.host);
  await page.getByLabel("Port", { exact: true }).fill(String(port));
  await page.getByLabel("User name").fill(c.user);
  await page.getByLabel("Default queue / partition").fill("stampede");
  await page.getByLabel(/Private key/).fill(key);
  await page.getByRole("button", { name: "Save resource" }).click();
  await expect(page).toHaveURL(/\/resources\?added=/);
}

test("[RESOURCES] add a SLURM resource, pin its host key, probe partitions and limits; a wrong port says so", async ({
  page,
}) => {
  const c = cluster();
  await signUpInBrowser(page, newAccount("res"));
  await addResource(page, "loopback", c.port, readFileSync(c.privateKeyPath, "utf8"), c);
  const card = page.getByTestId("resource-loopback");
  await card.getByRole("button", { name: "Test connection" }).click();
  const fp = execFileSync("ssh-keygen", ["-lf", c.hostKeyFile]).toString().split(" ")[1]!;
  await expect(card.getByTestId("probe-error")).toContainText("HOSTKEY_UNKNOWN");
  await expect(card.getByTestId("probe-error")).toContainText(fp);
  await card.getByRole("button", { name: "Accept and pin this key" }).click();
  const queues = page.getByTestId("queues-loopback");
  await expect(queues).toContainText("stampede (default)");
  await expect(queues).toContainText("60 min");
  await expect(queues.getByRole("row", { name: /gordon/ })).toContainText("down");
  await expect(card).toContainText(fp);

  await addResource(page, "wrongport", 1, readFileSync(c.privateKeyPath, "utf8"), c);
  const bad = page.getByTestId("resource-wrongport");
  await bad.getByRole("button", { name: "Test connection" }).click();
  await expect(bad.getByTestId("probe-error")).toContainText("UNREACHABLE");
  await expect(bad.getByTestId("probe-error")).toContainText("cannot reach hpcuser@127.0.0.1:1");
});

test("[RESOURCES] the form refuses injected values field by field", async ({ page }) => {
  await signUpInBrowser(page, newAccount("inject"));
  await page.goto("/resources/new");
  await page.getByLabel("Label", { exact: true }).fill("evil");
  await page.getByLabel("Host", { exact: true }).fill("host;rm -rf ~");
  await page.getByLabel("User name").fill("me");
  await page.getByRole("button", { name: "Save resource" }).click();
  await expect(page.locator(".field-error").first()).toContainText("A host name like");
});

test("[RESOURCES] a wrong key and a changed host key each give their own error; edit, delete key and delete work", async ({
  page,
}) => {
  const c = cluster();
  await signUpInBrowser(page, newAccount("reskeys"));
  // A key the cluster has never seen: generated for this test, not in hpcuser's authorized_keys.
  const dir = mkdtempSync(path.join(os.tmpdir(), "em-e2e-key-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "k")]);
  await addResource(page, "wrongkey", c.port, readFileSync(path.join(dir, "k"), "utf8"), c);
  const wrong = page.getByTestId("resource-wrongkey");
  await wrong.getByRole("button", { name: "Test connection" }).click();
  await wrong.getByRole("button", { name: "Accept and pin this key" }).click();
  await expect(wrong.getByTestId("probe-error")).toContainText("AUTH");
  await expect(wrong.getByTestId("probe-error")).toContainText("refused the credentials");

  await addResource(page, "moved", c.port, readFileSync(c.privateKeyPath, "utf8"), c);
  const moved = page.getByTestId("resource-moved");
  await moved.getByRole("button", { name: "Test connection" }).click();
  await moved.getByRole("button", { name: "Accept and pin this key" }).click();
  await expect(page.getByTestId("queues-moved")).toContainText("stampede (default)");
  // The machine "gets a new host key": rather than regenerating the shared sshd's key (other tests
  // use it), the pin is swapped for another real ed25519 key, which is what the client then sees.
  const other = readFileSync(`${c.privateKeyPath}.pub`, "utf8").split(" ")[1]!;
  const db = new Database(path.join(process.env.E2E_DATA_DIR!, "emanager.db"));
  db.prepare(
    "UPDATE Resource SET hostKey = ?, hostKeyFingerprint = 'SHA256:previous' WHERE label = 'moved'",
  ).run(other);
  db.close();
  await moved.getByRole("button", { name: "Test connection" }).click();
  await expect(moved.getByTestId("probe-error")).toContainText("HOSTKEY_CHANGED");
  await expect(moved.getByRole("button", { name: "Accept and pin this key" })).toBeVisible();

  // edit: a new port is saved and used; the stored key is kept when the key field is left empty
  page.on("dialog", (d) => void d.accept());
  await moved.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Port", { exact: true }).fill("1");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(/\/resources\?saved=/);
  await expect(moved).toContainText("127.0.0.1:1");
  await expect(moved).toContainText("private key stored (encrypted)");
  await moved.getByRole("button", { name: "Delete key" }).click();
  await expect(moved).toContainText("the server's ssh-agent"); // says whether this account may use it
  await moved.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(moved).toHaveCount(0);
});

test("[RESOURCES] the original bundle configuration imports with a report; user B cannot probe, delete or see A's resources", async ({
  page,
  browser,
}) => {
  await signUpInBrowser(page, newAccount("import"));
  await page.goto("/resources/import");
  await page
    .getByLabel("Bundle configuration")
    .fill(
      readFileSync(
        path.resolve(process.cwd(), "../shared/fixtures/bundles/emanager_bundle_demo_SC2014.conf"),
        "utf8",
      ),
    );
  await page.getByLabel(/Your user name/).fill("alice");
  await page.getByRole("button", { name: "Import" }).click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("5 resource(s) imported");
  await expect(report).toContainText("blacklight (pbs) alice@blacklight.psc.xsede.org");
  const list = (await (await page.request.get("/api/resources")).json()) as {
    resources: { id: string; label: string }[];
  };
  const stampede = list.resources.find((r) => r.label === "stampede")!;
  expect(stampede).toBeTruthy();

  const b = await signedInContext(browser, "intruder-res");
  expect((await b.ctx.request.post(`/api/resources/${stampede.id}/probe`)).status()).toBe(404);
  expect((await b.ctx.request.delete(`/api/resources/${stampede.id}`)).status()).toBe(404);
  expect((await b.ctx.request.get(`/api/resources/${stampede.id}`)).status()).toBe(404);
  await b.page.goto(`/resources/${stampede.id}/edit`);
  await expect(b.page.getByText(/not found|could not be found/i).first()).toBeVisible();
  await b.ctx.close();
  // A's own probe over HTTP answers with the exact failure (no such host offline), and A can delete.
  const probe = await page.request.post(`/api/resources/${stampede.id}/probe`);
  expect(probe.status()).toBe(502);
  expect(((await probe.json()) as { code: string }).code).toMatch(/UNREACHABLE|AUTH|DNS|ERROR/);
  expect((await page.request.delete(`/api/resources/${stampede.id}`)).status()).toBe(200);
});
