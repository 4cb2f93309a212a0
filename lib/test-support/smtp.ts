import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A real SMTP listener on loopback for tests: it accepts every message and keeps it. While
 * `hold` is true it behaves like a server that stalls after the message's data: it never
 * answers, counts the message in `held` and does not keep it (the sender sees no acceptance).
 */
export interface TestSmtp {
  port: number;
  mails: { to: string; body: string }[];
  hold: boolean;
  held: number;
  close(): Promise<void>;
}

export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: TestSmtp["mails"] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      let body = "";
      stream.on("data", (c: Buffer) => (body += c.toString()));
      stream.on("end", () => {
        if (smtp.hold) {
          smtp.held += 1;
          return;
        }
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), body });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const smtp: TestSmtp = {
    port: (server.server.address() as AddressInfo).port,
    mails,
    hold: false,
    held: 0,
    close: () => new Promise<void>((r) => server.close(r)),
  };
  return smtp;
}
