#!/usr/bin/env node
// The `sps` command: Node 24 runs the TypeScript sources directly.
import '../src/main.ts';
