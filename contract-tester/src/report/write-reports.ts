import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportWriteError } from '../errors';
import type { ContractReport } from '../run-contract';
import { formatJunitReport } from './junit-report';

/** The report as JSON: the whole of every diagnostic, values included. */
export function formatJsonReport(report: ContractReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes the requested report files, creating their folders. */
export async function writeReports(
  report: ContractReport,
  files: { junit?: string; json?: string },
): Promise<void> {
  if (files.junit !== undefined) await writeReport(files.junit, formatJunitReport(report));
  if (files.json !== undefined) await writeReport(files.json, formatJsonReport(report));
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    await writeFile(file, text, 'utf8');
  } catch (cause) {
    throw new ReportWriteError(file, { cause });
  }
}
