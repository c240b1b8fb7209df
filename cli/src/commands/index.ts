import type { Command } from '../command';
import { contractCommand } from './contract';
import { controlCommand } from './control';
import { mockCommand } from './mock';
import { proxyCommand } from './proxy';
import { recordCommand } from './record';

/** Every subcommand of `running-tasks`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  mockCommand,
  controlCommand,
  recordCommand,
  contractCommand,
  proxyCommand,
];
