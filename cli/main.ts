/**
 * `emanager` command-line entry. Each subcommand lives in cli/commands/<name>.ts and
 * exports `run(args, io): Promise<number>` returning the exit code:
 * 0 success, 2 bad input (errors on stderr), 1 anything else.
 */
import type { CliIO } from "./io";
import { processIO } from "./io";

type Command = (args: string[], io: CliIO) => Promise<number>;

type Module = { run: Command; USAGE: string };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Module> }> = {
  skeleton: {
    summary: "validate or expand an AIMES skeleton (validate FILE | expand FILE --format json|shell|setup)",
    load: () => import("./commands/skeleton"),
  },
  plan: {
    summary: "derive an execution strategy: plan SKELETON --resources FILE --strategy aimes|adaptive",
    load: () => import("./commands/plan"),
  },
  run: {
    summary:
      "plan, launch and follow a run headless: run SKELETON [--resources NAMES] [--strategy aimes|adaptive] [--seed N]",
    load: () => import("./commands/run"),
  },
  resource: {
    summary:
      "the Resources page from the command line: resource list | add LABEL … | probe LABEL | import BUNDLE.conf",
    load: () => import("./commands/resource"),
  },
  user: {
    summary: "set an account's task limit per skeleton: user limit EMAIL N|default",
    load: () => import("./commands/user"),
  },
  simulate: {
    summary:
      "simulate runs: simulate SKELETON --resources FILE [--strategy aimes|adaptive|both] [--runs N] | simulate --replay DIR",
    load: () => import("./commands/simulate"),
  },
  engine: {
    summary: "run the engine loop alone, without the web server, on the same database",
    load: () => import("./commands/engine"),
  },
};

function usage(io: CliIO): void {
  io.err("usage: emanager <command> [options]\n\ncommands:\n");
  for (const [name, c] of Object.entries(COMMANDS)) io.err(`  ${name.padEnd(10)} ${c.summary}\n`);
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    usage(io);
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`emanager: unknown command '${name}'\n`);
    usage(io);
    return 2;
  }
  try {
    const mod = await cmd.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(mod.USAGE);
      return 0;
    }
    return await mod.run(rest, io);
  } catch (e: unknown) {
    io.err(`emanager ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
