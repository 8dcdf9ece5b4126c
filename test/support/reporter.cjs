// Mocha's spec output, closed by the line CI recognises: "N passed, N failed".
'use strict';
const Mocha = require('mocha');
const {Spec} = Mocha.reporters;
const {EVENT_RUN_END} = Mocha.Runner.constants;

class PassedFailed extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const {passes, failures, pending} = runner.stats;
      process.stdout.write(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}\n`);
    });
  }
}
module.exports = PassedFailed;
