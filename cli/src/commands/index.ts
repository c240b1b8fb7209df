import type { Command } from '../command';
import { mockCommand } from './mock';

/** Every subcommand of `running-tasks`, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [mockCommand];
