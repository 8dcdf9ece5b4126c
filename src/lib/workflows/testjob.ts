// `backplane testjob create|get|logs|render`: a managed script from a managed-scripts checkout (its metadata.yaml
// and script file), run through backplane's test API on a non-production cluster, or rendered as the Kubernetes
// objects it would run with (ServiceAccount, Role/ClusterRole and bindings, Pod) to apply yourself.
import {existsSync, promises as fsp} from 'node:fs'
import {dirname, join, resolve} from 'node:path'

import type {Services} from '../services.js'
import type {TargetCluster} from './target-cluster.js'

import {type CreateTestJob, type TestJobResult, TestScriptsApi} from '../backplane/testscripts.js'
import {CliError, usageError} from '../errors.js'
import {isProductionOcm} from './accessrequest.js'
import {assertNotHibernating} from './managedjob/target.js'

export const JOBS_NAMESPACE = 'openshift-backplane-managed-scripts'
export const NAME_PREFIX = 'openshift-job-dev-'
export const DEFAULT_IMAGE = 'quay.io/redhat-user-workloads/rosa-tenant/managed-scripts:latest'

interface PolicyRule {
  apiGroups?: string[]
  nonResourceURLs?: string[]
  resourceNames?: string[]
  resources?: string[]
  verbs?: string[]
}

export interface ScriptMetadata {
  envs?: Array<{description?: string; key?: string; optional?: boolean}> | null
  file: string
  language?: string
  name: string
  rbac?: {clusterRoleRules?: PolicyRule[] | null; roles?: Array<{namespace?: string; rules?: PolicyRule[]}> | null} | null
  [key: string]: unknown
}

export interface ScriptSource {
  body: string
  dir: string
  metadata: ScriptMetadata
}

const fileProblem = (path: string, error: unknown, what: string) =>
  new CliError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, {
    code: 'USAGE',
    exitCode: 2,
    hint: 'run it in a script directory of a managed-scripts checkout, or give --source-dir',
  })

/** metadata.yaml and the script it names, with `source /managed-scripts/<lib>` lines inlined (as Go does). */
export async function readScriptSource(sourceDir: string): Promise<ScriptSource> {
  const dir = resolve(sourceDir)
  const metaPath = join(dir, 'metadata.yaml')
  let text: string
  try {
    text = await fsp.readFile(metaPath, 'utf8')
  } catch (error) {
    throw fileProblem(metaPath, error, 'the script metadata')
  }

  const {parse} = await import('yaml')
  let metadata: ScriptMetadata
  try {
    metadata = parse(text) as ScriptMetadata
  } catch (error) {
    throw new CliError(`${metaPath} is not valid YAML (${(error as Error).message.split('\n')[0]})`, {code: 'USAGE', exitCode: 2, hint: 'fix the file'})
  }

  if (!metadata || typeof metadata !== 'object' || typeof metadata.file !== 'string' || metadata.file === '' || typeof metadata.name !== 'string' || metadata.name === '') {
    throw new CliError(`${metaPath} has no file and name`, {code: 'USAGE', exitCode: 2, hint: 'a managed script metadata.yaml names its script (file) and itself (name)'})
  }

  const scriptPath = resolve(dir, metadata.file)
  let body: string
  try {
    body = await fsp.readFile(scriptPath, 'utf8')
  } catch (error) {
    throw fileProblem(scriptPath, error, 'the script')
  }

  return {body: await inlineLibrary(body, dir), dir, metadata}
}

/** `source /managed-scripts/<path>`: the library from `scripts/<path>` of the checkout, inlined (base64) as Go does. */
async function inlineLibrary(script: string, dir: string): Promise<string> {
  const match = /source \/managed-scripts\/(.*)\n/.exec(script)
  if (!match) return script
  let root = dir
  while (!existsSync(join(root, 'scripts', match[1]!)) && dirname(root) !== root) root = dirname(root)
  const lib = join(root, 'scripts', match[1]!)
  let content: Buffer
  try {
    content = await fsp.readFile(lib)
  } catch (error) {
    throw fileProblem(`scripts/${match[1]}`, error, 'the library')
  }

  return script.replace(match[0], `base64 -d <<< ${content.toString('base64')} > /tmp/lib.sh\nsource /tmp/lib.sh\n`)
}

/** The parameters against metadata.yaml's envs: none to a script without envs, none undeclared, every required one. */
export function validateTestParams(metadata: ScriptMetadata, params: Record<string, string>): void {
  const envs = (Array.isArray(metadata.envs) ? metadata.envs : []).filter((e) => typeof e?.key === 'string' && e.key !== '')
  const given = Object.keys(params)
  if (envs.length === 0 && given.length > 0) throw usageError(`script ${metadata.name} takes no parameters, but got ${given.join(', ')}`, 'run it without -p')
  const declared = new Set(envs.map((e) => e.key!))
  const unknown = given.filter((k) => !declared.has(k))
  if (unknown.length > 0) throw usageError(`script ${metadata.name} has no parameter ${unknown.join(', ')}`, `it accepts ${[...declared].join(', ')}`)
  const missing = envs.filter((e) => e.optional !== true && params[e.key!] === undefined).map((e) => e.key!)
  if (missing.length > 0) throw usageError(`script ${metadata.name} needs parameter ${missing.join(', ')}`, `pass ${missing.map((k) => `-p ${k}=<value>`).join(' ')}`)
}

function rules(list: PolicyRule[] | null | undefined): PolicyRule[] {
  return (Array.isArray(list) ? list : []).map((r) => {
    const rule: PolicyRule = {}
    for (const key of ['apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'verbs'] as const) if (Array.isArray(r?.[key])) rule[key] = r[key]
    return rule
  })
}

/** What the pod runs: the script, base64-encoded, piped into bash (or python3). */
export function podCommand(language: string | undefined, body: string): string[] {
  const interpreter = language?.toLowerCase() === 'python' ? '/bin/python3' : '/bin/bash'
  return ['/bin/sh', '-c', `echo '${Buffer.from(body).toString('base64')}' | base64 -d | ${interpreter}`]
}

/** The objects a test run of the script needs, in apply order. */
export function renderObjects(source: ScriptSource, params: Record<string, string>, image: string, now = Date.now()): Array<Record<string, unknown>> {
  const {metadata} = source
  const name = `${NAME_PREFIX}${Math.floor(now / 1000)}`
  const labels = {
    'managed.openshift.io/backplane-job-canonical-namespace': 'TEST',
    'managed.openshift.io/backplane-job-canonical-script-name': metadata.name,
    'managed.openshift.io/backplane-job-id': name,
    'managed.openshift.io/backplane-job-is-test': 'true',
  }
  const subject = [{kind: 'ServiceAccount', name, namespace: JOBS_NAMESPACE}]
  const objects: Array<Record<string, unknown>> = [
    {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {labels, name, namespace: JOBS_NAMESPACE}, automountServiceAccountToken: true},
  ]
  const byNamespace = new Map<string, PolicyRule[]>()
  for (const role of Array.isArray(metadata.rbac?.roles) ? metadata.rbac!.roles! : []) {
    if (typeof role?.namespace !== 'string' || role.namespace === '' || !Array.isArray(role.rules) || role.rules.length === 0) continue
    byNamespace.set(role.namespace, [...(byNamespace.get(role.namespace) ?? []), ...rules(role.rules)])
  }

  for (const [namespace, nsRules] of byNamespace) {
    objects.push(
      {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: {labels, name, namespace}, rules: nsRules},
      {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: {labels, name, namespace}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name}, subjects: subject},
    )
  }

  const clusterRules = rules(metadata.rbac?.clusterRoleRules)
  if (clusterRules.length > 0) {
    objects.push(
      {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: {labels, name}, rules: clusterRules},
      {apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: {labels, name}, roleRef: {apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name}, subjects: subject},
    )
  }

  const env = (Array.isArray(metadata.envs) ? metadata.envs : []).filter((e) => typeof e?.key === 'string' && params[e.key] !== undefined).map((e) => ({name: e.key!, value: params[e.key!]!}))
  const seccomp = {type: 'RuntimeDefault'}
  objects.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {labels, name, namespace: JOBS_NAMESPACE},
    spec: {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {preference: {matchExpressions: [{key: 'node-role.kubernetes.io/infra', operator: 'Exists'}]}, weight: 100},
          ],
        },
      },
      containers: [
        {
          command: podCommand(metadata.language, source.body),
          ...(env.length > 0 ? {env} : {}),
          image,
          name: 'job',
          resources: {limits: {cpu: '500m', memory: '2048Mi'}, requests: {cpu: '10m', memory: '100Mi'}},
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: ['ALL']}, runAsNonRoot: true, seccompProfile: seccomp},
        },
      ],
      restartPolicy: 'Never',
      securityContext: {runAsNonRoot: true, seccompProfile: seccomp},
      serviceAccountName: name,
      tolerations: [{effect: 'NoSchedule', key: 'node-role.kubernetes.io/infra', operator: 'Exists'}],
    },
  })
  return objects
}

/** The objects as one multi-document YAML stream. */
export async function renderYaml(objects: Array<Record<string, unknown>>): Promise<string> {
  const {stringify} = await import('yaml')
  return objects.map((o) => stringify(o, {lineWidth: 0})).join('---\n')
}

export interface CreateTestJobOptions {
  dryRun?: boolean
  image?: string
  params: Record<string, string>
  source: ScriptSource
  target: TargetCluster
}

/** POST /backplane/testscript/{clusterId}: refused in production, and on a hibernating cluster. */
export async function createTestJob(services: Services, o: CreateTestJobOptions): Promise<TestJobResult & {clusterId: string}> {
  if (await isProductionOcm(services)) {
    throw new CliError('testjob cannot be used in the production OCM environment', {code: 'PRODUCTION', hint: "use 'backplane testjob render' and apply the YAML on a cluster you own, or log in to a non-production OCM environment"})
  }

  await assertNotHibernating(services, o.target)
  const body: CreateTestJob = {
    parameters: o.params,
    scriptBody: Buffer.from(o.source.body).toString('base64'),
    scriptMetadata: o.source.metadata,
    ...(o.dryRun ? {dryRun: true} : {}),
    ...(o.image ? {baseImageOverride: o.image} : {}),
  }
  const result = await new TestScriptsApi(await services.backplane(), o.target.id).create(body)
  return {...result, clusterId: o.target.id}
}

export async function testScriptsApi(services: Services, target: TargetCluster): Promise<TestScriptsApi> {
  return new TestScriptsApi(await services.backplane(), target.id)
}
