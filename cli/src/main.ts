#!/usr/bin/env node
import { EXIT, type Command } from './command';
import { COMMANDS } from './commands';
import { formatOptionsHelp, parseOptions, UsageError } from './options';

const BIN = 'running-tasks';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `Usage: ${BIN} <command> [options]\n\nCommands:\n${list}\n\nRun \`${BIN} <command> --help\` for a command's options.`;
}

function commandHelp(command: Command): string {
  const description = command.description ? `\n${command.description}\n` : '';
  return `Usage: ${BIN} ${command.name} [options]\n\n${command.summary}\n${description}\nOptions:\n${formatOptionsHelp(command.options)}`;
}

/** Runs the command line and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }

  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`${BIN}: unknown command "${name}"\n\n${usage()}`);
    return EXIT.USAGE;
  }

  try {
    const values = parseOptions(command.options, rest);
    if (values.help === true) {
      console.log(commandHelp(command));
      return EXIT.OK;
    }
    return await command.run(values);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${BIN} ${command.name}: ${err.message}`);
      return EXIT.USAGE;
    }
    console.error(`${BIN} ${command.name}: unexpected failure (a bug):`, err);
    return EXIT.BUG;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = EXIT.FAILURE;
    },
  );
}
