/**
 * Writes numbered lines to stdout through a LineSink, then ends as told:
 * `natural` (the loop runs out), `linger` (the loop runs out after 100 ms,
 * so the lines go out asynchronously first), `paced` (500 lines a turn of the event loop,
 * as a busy server logs them, so buffers are written while others fill) or
 * `exit` (process.exit straight after the last line). Arguments: how many
 * lines, how they end, and the line length.
 */
import { LineSink } from '../../../mock-server/src/line-sink';

const [countText, ending, widthText] = process.argv.slice(2);
const count = Number(countText);
const width = Number(widthText ?? 100);

// Touching process.stdout makes a pipe on fd 1 non-blocking, as it is in a
// real CLI that also prints: a full pipe then answers EAGAIN.
void process.stdout;

const sink = new LineSink(1);
const padding = 'x'.repeat(Math.max(0, width - 20));
const line = (i: number): string => `${JSON.stringify({ n: i, padding })}\n`;
if (ending === 'paced') {
  let next = 0;
  const batch = (): void => {
    for (const end = Math.min(count, next + 500); next < end; next++) sink.write(line(next));
    if (next < count) setImmediate(batch);
  };
  batch();
} else {
  for (let i = 0; i < count; i++) sink.write(line(i));
}
if (ending === 'exit') process.exit(0);
if (ending === 'linger') setTimeout(() => undefined, 100);
