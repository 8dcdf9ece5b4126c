import {CliError} from '../errors.js'
import {KubeconfigSet} from '../kube/kubeconfig.js'
import {previousContext, readHistory, recordHistory} from '../kube/login-history.js'
import {clusterOf} from './logout.js'

export interface SwitchBackResult {
  clusterId: string
  context: string
  kubeconfig: string
  previous?: string
}

/**
 * `login -`: make the previous backplane context of the login history current again (like `kubectx -`),
 * when it still exists; the switch is itself recorded, so a second `login -` comes back.
 */
export async function switchBack(env: NodeJS.ProcessEnv, paths: string[], warn?: (line: string) => void): Promise<SwitchBackResult> {
  const primary = paths[0]!
  const history = await readHistory(env, primary, warn)
  const result = await KubeconfigSet.update(paths, (set) => {
    const current = set.currentContext()
    const target = previousContext(history, current?.name, (name) => set.find('contexts', name) !== undefined && clusterOf(set, name) !== undefined)
    if (!target) {
      throw new CliError(`no previous backplane context to switch back to in ${primary}`, {
        code: 'NO_HISTORY',
        hint: "'login -' returns to the context of an earlier 'backplane login <cluster>'; log in first",
      })
    }

    ;(current?.file ?? set.primary).setCurrentContext(target)
    return {clusterId: clusterOf(set, target)!, context: target, kubeconfig: (current?.file ?? set.primary).path, previous: current?.name}
  })
  await recordHistory(env, primary, {clusterId: result.clusterId, context: result.context, previous: result.previous}, warn)
  return result
}
