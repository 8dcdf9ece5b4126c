import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {backplaneFlags, clusterFlags, rawFlag} from '../../flags.js'
import {writeFileAtomic} from '../../lib/fs/atomic.js'
import {parseParams} from '../../lib/workflows/managedjob/params.js'
import {DEFAULT_IMAGE, readScriptSource, renderObjects, renderYaml, validateTestParams} from '../../lib/workflows/testjob.js'

/** Go's persistent flags of the testjob topic, on every subcommand (where they mean nothing, accepted and ignored). */
export const goTestjobFlags = {
  ...backplaneFlags,
  ...clusterFlags,
  ...rawFlag,
  follow: Flags.boolean({char: 'f', description: 'create and logs: follow the logs until the test job ends (elsewhere accepted, as in Go, and ignored)'}),
}

export const testjobFlags = {
  'base-image-override': Flags.string({char: 'i', description: 'container image that runs the script'}),
  params: Flags.string({char: 'p', description: 'a parameter of the script, KEY=VALUE (repeat for more)', multiple: true}),
  'source-dir': Flags.string({char: 's', description: 'the script directory, holding metadata.yaml (default: the current directory)'}),
}

export default class TestjobRender extends BaseCommand {
  static aliases = ['testJob:render', 'testjobs:render', 'tj:render']

  static description = `Render the Kubernetes objects a managed script runs with, without calling any API: a ServiceAccount, a Role and RoleBinding per namespace of rbac.roles, a ClusterRole and ClusterRoleBinding for rbac.clusterRoleRules, and the Pod that runs the script (base64-encoded in its command), all in ${'openshift-backplane-managed-scripts'} and labelled as a backplane test job.

It reads metadata.yaml and the script it names from the current directory (or --source-dir) of a managed-scripts checkout. Apply the result on a cluster where you may, and delete it after: oc delete -f <file>.`

  static enableJsonFlag = true

  static examples = [
    {command: 'cd scripts/SREP/example && <%= config.bin %> <%= command.id %> -p VAR1=val1 > test-job.yaml && oc apply -f test-job.yaml', description: 'Render and apply'},
    {command: '<%= config.bin %> <%= command.id %> -s scripts/SREP/example -i quay.io/me/managed-scripts:dev -o job.yaml', description: 'Another directory and image, into a file'},
  ]

  static flags = {
    ...goTestjobFlags,
    ...testjobFlags,
    output: Flags.string({char: 'o', description: 'write the YAML to this file (mode 0600) instead of stdout'}),
  }

  static hidden = true

  static summary = 'Render the ServiceAccount, RBAC and Pod YAML of a managed script (no API call)'

  async run(): Promise<Array<Record<string, unknown>>> {
    const {flags} = await this.parse(TestjobRender)
    const params = parseParams(flags.params)
    const source = await readScriptSource(flags['source-dir'] ?? '.')
    validateTestParams(source.metadata, params)
    const image = flags['base-image-override'] ?? DEFAULT_IMAGE
    if (!flags['base-image-override']) this.note(`Using image ${image} (choose another with -i)`)
    const objects = renderObjects(source, params, image)
    if (this.jsonEnabled()) return objects
    const yaml = await renderYaml(objects)
    if (flags.output) {
      await writeFileAtomic(flags.output, yaml, 0o600)
      this.note(`Wrote ${objects.length} objects to ${flags.output}: oc apply -f ${flags.output}, and oc delete -f ${flags.output} after`)
    } else {
      process.stdout.write(yaml)
    }

    return objects
  }
}
