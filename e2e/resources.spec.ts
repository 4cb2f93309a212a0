import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { newAccount, signUpInBrowser } from "./helpers";

// The real loopback SLURM + sshd (scripts/cluster/up.sh; `npm test` starts it).
function cluster() {
  execFileSync("node", [path.join(process.cwd(), "scripts/cluster/ensure.mjs")], { stdio: "pipe" });
  return JSON.parse(readFileSync(path.join(process.env.EMANAGER_CLUSTER_DIR ?? "/var/lib/emanager-cluster", "cluster.json"), "utf8")) as { host: string; port: number; user: string; privateKeyPath: string; hostKeyFile: string };
}

async function addResource(page: import("@playwright/test").Page, label: string, port: number, key: string, c: ReturnType<typeof cluster>) {
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

test("[RESOURCES] add a SLURM resource, pin its host key, probe partitions and limits; a wrong port says so", async ({ page }) => {
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
