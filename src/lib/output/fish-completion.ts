// `backplane completion fish`: a fish completion script built from the command manifest
// (@oclif/plugin-autocomplete has bash, zsh and powershell, not fish).

export interface CompletionFlag {
  char?: string
  description?: string
  hidden?: boolean
  options?: readonly string[]
  type: 'boolean' | 'option'
}

export interface CompletionCommand {
  aliases?: readonly string[]
  flags: Record<string, CompletionFlag>
  hidden?: boolean
  id: string
  summary?: string
}

/** A fish single-quoted word: only `\` and `'` need escaping. */
function fishQuote(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0].trim()
}

const HELPERS = `# The command words typed so far (flags and their values left out as best we can).
function __BIN_words
    set -l words (commandline -opc)
    set -e words[1]
    string match -v -- '-*' $words
end

# True when the words typed so far are exactly the arguments (completing the next word of that command).
function __BIN_at
    set -l words (__BIN_words)
    test (count $words) -eq (count $argv); or return 1
    for i in (seq (count $argv))
        test "$words[$i]" = "$argv[$i]"; or return 1
    end
end

# True when the words typed so far start with the arguments (inside that command: its flags).
function __BIN_in
    set -l words (__BIN_words)
    test (count $words) -ge (count $argv); or return 1
    for i in (seq (count $argv))
        test "$words[$i]" = "$argv[$i]"; or return 1
    end
end
`

/**
 * The script: commands and topics (level by level), then each command's flags. `bins` are the names it
 * completes for (backplane and ocm-backplane: the same CLI).
 */
export function fishCompletion(commands: CompletionCommand[], topics: Record<string, string | undefined>, bins: string[]): string {
  const bin = bins[0]
  const fn = bin.replaceAll(/[^\w]/g, '_')
  const out: string[] = [`# fish completion for ${bins.join(', ')}: ${bin} completion fish | source`, HELPERS.replaceAll('__BIN', `__${fn}`)]
  const visible = commands.filter((c) => !c.hidden)
  const ids = [...new Set(visible.flatMap((c) => [c.id, ...(c.aliases ?? [])]))].sort()
  const summaries = new Map<string, string>()
  for (const c of visible) for (const id of [c.id, ...(c.aliases ?? [])]) summaries.set(id, firstLine(c.summary))

  // Every word at every level: commands, and the topics that hold them.
  const words = new Map<string, {description: string; parent: string[]; word: string}>()
  for (const id of ids) {
    const parts = id.split(':')
    for (let i = 0; i < parts.length; i++) {
      const key = parts.slice(0, i + 1).join(':')
      if (words.has(key)) continue
      const description = i === parts.length - 1 && summaries.has(key) ? summaries.get(key)! : firstLine(topics[key])
      words.set(key, {description, parent: parts.slice(0, i), word: parts[i]})
    }
  }

  for (const name of bins) {
    out.push(`complete -c ${name} -f`)
    for (const {description, parent, word} of words.values()) {
      const at = [`__${fn}_at`, ...parent].join(' ')
      out.push(`complete -c ${name} -n ${fishQuote(at)} -a ${fishQuote(word)}${description ? ` -d ${fishQuote(description)}` : ''}`)
    }

    for (const c of visible) {
      for (const id of [c.id, ...(c.aliases ?? [])]) {
        const inside = [`__${fn}_in`, ...id.split(':')].join(' ')
        for (const [flag, spec] of Object.entries(c.flags).sort(([a], [b]) => a.localeCompare(b))) {
          if (spec.hidden) continue
          const parts = [`complete -c ${name} -n ${fishQuote(inside)} -l ${flag}`]
          if (spec.char) parts.push(`-s ${spec.char}`)
          if (spec.type === 'option') parts.push(spec.options?.length ? `-x -a ${fishQuote(spec.options.join(' '))}` : '-r')
          const description = firstLine(spec.description)
          if (description) parts.push(`-d ${fishQuote(description)}`)
          out.push(parts.join(' '))
        }
      }
    }
  }

  return `${out.join('\n')}\n`
}
