#!/usr/bin/env node
// The `synccenter` command: Node 24 runs the TypeScript sources directly.
import('../app/cli/main.ts');
