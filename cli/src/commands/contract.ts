import type { ApiVersion, AuthScheme, FailOn } from '@running-tasks/contract-tester';
import { DEFAULT_CONTRACT_OPTIONS } from '@running-tasks/contract-tester/defaults';
import type { Command } from '../command';
import { UsageError, type OptionValues } from '../options';

const seconds = (ms: number): string => `${ms / 1000}s`;

export const contractCommand: Command = {
  name: 'contract',
  summary:
    'Check a live backend against the OpenAPI and AsyncAPI contracts, over HTTP and websocket.',
  description:
    'Runs every check on the four routes and prints a summary grouped by route.\n' +
    'Exit codes: 0 every check passed, 1 a check failed, 2 bad options or contracts,\n' +
    '3 the backend could not be reached at all, 4 a bug in the tester.',
  options: [
    {
      name: 'base-url',
      type: 'string',
      env: 'RUNNING_TASKS_BASE_URL',
      placeholder: 'url',
      help: 'The backend to check, e.g. http://127.0.0.1:4010 (a path prefix is kept). Required.',
    },
    {
      name: 'token',
      type: 'string',
      env: 'RUNNING_TASKS_TOKEN',
      placeholder: 'token',
      help: 'API token. With it, the checks also require 401 without it. Never printed.',
    },
    {
      name: 'auth-scheme',
      type: 'string',
      default: DEFAULT_CONTRACT_OPTIONS.authScheme,
      env: 'RUNNING_TASKS_AUTH_SCHEME',
      choices: ['bearer', 'x-api-key', 'query'],
      placeholder: 'scheme',
      help: 'How the token is sent: Authorization: Bearer, Authorization: X-API-KEY, or ?token=.',
    },
    {
      name: 'api',
      type: 'string',
      default: DEFAULT_CONTRACT_OPTIONS.api,
      env: 'RUNNING_TASKS_API',
      choices: ['v1', 'v2', 'all'],
      placeholder: 'v1|v2|all',
      help: 'Which generation of the API to check.',
    },
    {
      name: 'ws-duration',
      type: 'duration',
      default: seconds(DEFAULT_CONTRACT_OPTIONS.wsDurationMs),
      env: 'RUNNING_TASKS_WS_DURATION',
      placeholder: 'time',
      min: 1,
      help: 'How long to watch each websocket stream (300ms, 5s).',
    },
    {
      name: 'first-message-timeout',
      type: 'duration',
      default: seconds(DEFAULT_CONTRACT_OPTIONS.firstMessageTimeoutMs),
      placeholder: 'time',
      min: 1,
      help: 'Bound on the first websocket message after the handshake.',
    },
    {
      name: 'request-timeout',
      type: 'duration',
      default: seconds(DEFAULT_CONTRACT_OPTIONS.requestTimeoutMs),
      placeholder: 'time',
      min: 1,
      help: 'Bound on each HTTP request and websocket handshake.',
    },
    {
      name: 'consistency-window',
      type: 'duration',
      default: seconds(DEFAULT_CONTRACT_OPTIONS.consistencyWindowMs),
      placeholder: 'time',
      min: 0,
      help: 'A websocket snapshot must list the same task ids as a GET taken within this of it.',
    },
    {
      name: 'origin',
      type: 'string',
      env: 'RUNNING_TASKS_ORIGIN',
      placeholder: 'origin',
      help: 'Send this Origin on the handshake and check CORS for it (https://app.example).',
    },
    {
      name: 'ws-protocol',
      type: 'string',
      placeholder: 'list',
      help: 'Comma-separated websocket sub-protocols to offer; the server must pick one.',
    },
    {
      name: 'junit',
      type: 'string',
      placeholder: 'file',
      help: 'Write a JUnit XML report here.',
    },
    {
      name: 'json',
      type: 'string',
      placeholder: 'file',
      help: 'Write the full report as JSON here.',
    },
    {
      name: 'fail-on',
      type: 'string',
      default: DEFAULT_CONTRACT_OPTIONS.failOn,
      env: 'RUNNING_TASKS_FAIL_ON',
      choices: ['warning', 'error'],
      placeholder: 'severity',
      help: 'Fail on errors only, or on warnings too (an unknown status value is a warning).',
    },
  ],

  async run(values) {
    const baseUrl = stringOf(values, 'base-url');
    if (baseUrl === undefined) {
      throw new UsageError('--base-url is required (or set RUNNING_TASKS_BASE_URL)');
    }

    // Loaded here: the other commands and `--help` start without the validators and Prism.
    const tester = await import('@running-tasks/contract-tester');
    try {
      const report = await tester.runContract({
        baseUrl,
        token: stringOf(values, 'token'),
        authScheme: values['auth-scheme'] as AuthScheme,
        api: values.api as ApiVersion | 'all',
        wsDurationMs: Number(values['ws-duration']),
        firstMessageTimeoutMs: Number(values['first-message-timeout']),
        requestTimeoutMs: Number(values['request-timeout']),
        consistencyWindowMs: Number(values['consistency-window']),
        origin: stringOf(values, 'origin'),
        wsProtocols: listOf(stringOf(values, 'ws-protocol')),
        failOn: values['fail-on'] as FailOn,
      });

      process.stdout.write(tester.formatHumanReport(report));
      await tester.writeReports(report, {
        junit: stringOf(values, 'junit'),
        json: stringOf(values, 'json'),
      });
      return report.exitCode;
    } catch (err) {
      if (!tester.isContractTesterError(err)) throw err;
      console.error(`running-tasks contract: ${err.message}`);
      return tester.exitCodeForError(err);
    }
  },
};

function stringOf(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function listOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
