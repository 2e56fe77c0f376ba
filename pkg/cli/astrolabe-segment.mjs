#!/usr/bin/env node
// The `astrolabe-segment` command (the package's `bin`): see main.mjs, or run it with --help.
import { main } from "./main.mjs";

process.exitCode = await main(process.argv.slice(2));
