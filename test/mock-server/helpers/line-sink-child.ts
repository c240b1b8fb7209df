/**
 * Writes numbered lines to stdout through a LineSink, then ends as told:
 * `natural` (the loop runs out), `linger` (the loop runs out after 100 ms,
 * so the lines go out asynchronously first) or `exit` (process.exit straight
 * after the last line). Argument: how many lines, how they end, and the line length.
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
for (let i = 0; i < count; i++) sink.write(`${JSON.stringify({ n: i, padding })}\n`);
if (ending === 'exit') process.exit(0);
if (ending === 'linger') setTimeout(() => undefined, 100);
