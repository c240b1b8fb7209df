#!/usr/bin/env node
'use strict';
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm ci` runs).
const { main } = require('../dist/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
