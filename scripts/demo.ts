// `npm run demo`: start the simulator, log in to a demo cluster with a throwaway HOME, list its
// namespaces through the kubeconfig login wrote, switch namespace, log out, stop. Nothing of the
// user's own HOME, kubeconfig or OCM login is read or touched.
import {spawn, spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {startSimulator} from '../src/simulator/index.js'

const RUN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const bold = (s: string) => (process.stdout.isTTY ? `\u001B[1m${s}\u001B[22m` : s)

function hasKubectl(): boolean {
  return spawnSync('kubectl', ['version', '--client'], {stdio: 'ignore'}).status === 0
}

const sim = await startSimulator({quiet: true})
const home = mkdtempSync(join(tmpdir(), 'backplane-demo-'))
try {
  mkdirSync(join(home, '.kube'), {recursive: true})
  copyFileSync(sim.ocmConfigPath, join(home, '.ocm.json'))
  mkdirSync(join(home, '.config', 'backplane'), {recursive: true})
  copyFileSync(sim.backplaneConfigPath, join(home, '.config', 'backplane', 'config.json'))
  const env: NodeJS.ProcessEnv = {HOME: home, LANG: process.env.LANG, PATH: process.env.PATH, TERM: process.env.TERM}

  console.log(bold(`Simulator (SSO, OCM, backplane, Kubernetes API) at ${sim.url}; throwaway HOME ${home}\n`))
  // Asynchronous: the simulator answers from this same process.
  const run = async (label: string, command: string, args: string[]): Promise<void> => {
    console.log(bold(`$ ${label}`))
    const status = await new Promise<number | null>((resolve, reject) => {
      spawn(command, args, {env, stdio: 'inherit'}).on('error', reject).on('close', resolve)
    })
    console.log()
    if (status !== 0) throw new Error(`demo step failed: ${label} (exit ${status})`)
  }

  const backplane = (...args: string[]) => run(`backplane ${args.join(' ')}`, process.execPath, [RUN, ...args])

  await backplane('login', 'demo-cluster', '--cluster-info')
  if (hasKubectl()) {
    await run('kubectl get namespaces', 'kubectl', ['get', 'namespaces'])
  } else {
    console.log(bold('$ (kubectl is not installed: listing namespaces with @kubernetes/client-node)'))
    const k8s = await import('@kubernetes/client-node')
    const kc = new k8s.KubeConfig()
    kc.loadFromFile(join(home, '.kube', 'config'))
    const list = await kc.makeApiClient(k8s.CoreV1Api).listNamespace()
    for (const ns of list.items) console.log(ns.metadata?.name)
    console.log()
  }

  await backplane('project', 'openshift-monitoring')
  await backplane('logout')
  console.log(bold('Demo complete: login, kubectl through the backplane proxy, project, logout.'))
} finally {
  await sim.stop()
  rmSync(home, {force: true, recursive: true})
}
