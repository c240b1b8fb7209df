import { PROXY_DEFAULTS } from '@running-tasks/contract-tester/defaults';
import type { Command } from '../command';
import { UsageError } from '../options';
import { untilSignal } from '../signals';

export const proxyCommand: Command = {
  name: 'proxy',
  summary: 'Forward the API to a backend and check every response and frame against the contracts.',
  description:
    'HTTP goes through Prism in proxy mode; websocket frames are relayed as they come.\n' +
    'Answers reach the client byte for byte; violations go to the log (JSON lines) and\n' +
    'to --report. With --errors, an HTTP answer that breaks the contract becomes a\n' +
    'problem+json 502. Stop with Ctrl-C.',
  options: [
    {
      name: 'upstream',
      type: 'string',
      env: 'RUNNING_TASKS_UPSTREAM',
      placeholder: 'url',
      help: 'The backend to forward to, e.g. https://staging.example. Required.',
    },
    {
      name: 'port',
      type: 'integer',
      default: PROXY_DEFAULTS.port,
      env: 'RUNNING_TASKS_PROXY_PORT',
      placeholder: 'n',
      min: 0,
      max: 65535,
      help: 'Port to listen on; 0 picks a free one.',
    },
    {
      name: 'host',
      type: 'string',
      default: PROXY_DEFAULTS.host,
      env: 'RUNNING_TASKS_PROXY_HOST',
      placeholder: 'addr',
      help: 'Address to bind.',
    },
    {
      name: 'errors',
      type: 'boolean',
      default: false,
      env: 'RUNNING_TASKS_PROXY_ERRORS',
      help: 'Replace an HTTP answer that breaks the contract with a problem+json 502.',
    },
    {
      name: 'report',
      type: 'string',
      env: 'RUNNING_TASKS_PROXY_REPORT',
      placeholder: 'file',
      help: 'Append every violation to this file, one JSON object a line.',
    },
    {
      name: 'upstream-timeout',
      type: 'duration',
      default: `${PROXY_DEFAULTS.upstreamTimeoutMs / 1000}s`,
      placeholder: 'time',
      min: 1,
      help: 'Bound on each upstream request and websocket handshake.',
    },
  ],

  async run(values) {
    if (typeof values.upstream !== 'string' || values.upstream === '') {
      throw new UsageError('--upstream is required (or set RUNNING_TASKS_UPSTREAM)');
    }

    // Loaded here: the other commands and `--help` start without Prism.
    const tester = await import('@running-tasks/contract-tester');
    try {
      const proxy = await tester.startValidationProxy({
        upstream: values.upstream,
        port: Number(values.port),
        host: String(values.host),
        errors: values.errors === true,
        reportFile:
          typeof values.report === 'string' && values.report !== '' ? values.report : undefined,
        upstreamTimeoutMs: Number(values['upstream-timeout']),
      });
      await untilSignal();
      await proxy.close();
      return tester.EXIT_CODES.PASSED;
    } catch (err) {
      if (tester.isContractTesterError(err)) {
        console.error(`running-tasks proxy: ${err.message}`);
        return tester.exitCodeForError(err);
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') {
        throw new UsageError(
          `port ${String(values.port)} is already in use; choose another with --port`,
        );
      }
      throw err;
    }
  },
};
