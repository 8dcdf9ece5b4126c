// The runtime entry of the bundle (scripts/bundle.mjs): bin/run.js takes oclif from here, so commands and the
// framework share one copy of @oclif/core.
export {execute} from '@oclif/core'
export {goCompatArgv} from './lib/go-argv.js'
