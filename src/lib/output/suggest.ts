/** Edit distance where swapping two neighbours counts as one edit (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({length: a.length + 1}, (_, i) => [i, ...Array.from({length: b.length}, (_, j) => (i === 0 ? j + 1 : 0))])
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }

  return d[a.length][b.length]
}

/**
 * The command id closest to what was typed (`config:gte:url` → `config:get`), comparing each id with as many
 * typed words as it has; undefined when nothing is close enough to be a plausible typo.
 */
export function suggestCommand(typedId: string, ids: string[]): string | undefined {
  const typed = typedId.split(':')
  let best: {distance: number; id: string} | undefined
  for (const id of new Set(ids)) {
    const words = id.split(':').length
    if (typed.length < words) continue
    const head = typed.slice(0, words).join(':')
    const distance = editDistance(head.toLowerCase(), id.toLowerCase())
    const allowed = Math.max(2, Math.ceil(id.length / 3))
    if (distance > allowed) continue
    // Closest first; on a tie, the id that uses more of the typed words.
    if (!best || distance < best.distance || (distance === best.distance && words > best.id.split(':').length)) best = {distance, id}
  }

  return best?.id
}
