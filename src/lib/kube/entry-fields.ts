import {type Document, isMap, type YAMLMap} from 'yaml'

/**
 * Set fields of a kubeconfig entry's body (`cluster:`, `context:` or `user:`), creating the body when
 * missing. `undefined` deletes a field; fields not named are left exactly as they are.
 */
export function setEntryFields(doc: Document, item: YAMLMap, bodyKey: string, fields: Record<string, unknown>): void {
  const found: unknown = item.get(bodyKey, true)
  let body: YAMLMap
  if (isMap(found)) {
    body = found
  } else {
    body = doc.createNode({}) as YAMLMap
    item.set(bodyKey, body)
  }

  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) body.delete(key)
    else body.set(key, doc.createNode(value))
  }
}
