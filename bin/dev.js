#!/usr/bin/env -S node --import tsx
// Development entry: runs the TypeScript sources directly (no build step).
import {execute} from '@oclif/core'

import {goCompatArgv} from '../src/lib/go-argv.ts'

await execute({args: goCompatArgv(process.argv.slice(2)), development: true, dir: import.meta.url})
