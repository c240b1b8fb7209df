#!/usr/bin/env node
'use strict';
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs).
const { main } = require('../dist/main.js');

/** How long a finished command may take to exit: what is left is output that cannot be written. */
const EXIT_GRACE_MS = 2000;

function finish(code) {
  process.exitCode = code;
  // A command that is done exits by itself once nothing is pending. Only a
  // write to a reader that stopped reading (`mock | less`, left paused) can
  // still hold it; that must not keep a stopped mock alive.
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

main(process.argv.slice(2)).then(finish, (err) => {
  console.error(err);
  finish(1);
});
