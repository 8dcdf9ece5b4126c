// A small parser/evaluator for OCM's `search` query syntax, as the CLI sends it, e.g.
//   (id = 'K' or name like 'K' or external_id = 'K')
// Supported: `field = 'v'`, `field != 'v'`, `field like 'v'`, `field ilike 'v'`, `and`, `or`, `not`,
// parentheses; values are single-quoted strings where '' is an escaped quote; in like patterns
// `%` matches any run of characters and `_` any single character. Keywords are case-insensitive.

export class SearchSyntaxError extends Error {}

export type SearchExpr =
  | {kind: 'and' | 'or'; left: SearchExpr; right: SearchExpr}
  | {kind: 'not'; expr: SearchExpr}
  | {kind: 'compare'; field: string; op: '=' | '!=' | 'like' | 'ilike'; value: string}

type Token =
  | {type: 'ident'; value: string; pos: number}
  | {type: 'string'; value: string; pos: number}
  | {type: 'op'; value: '=' | '!='; pos: number}
  | {type: 'lparen' | 'rparen'; pos: number}

function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const ch = input[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(') {
      tokens.push({type: 'lparen', pos: i++})
    } else if (ch === ')') {
      tokens.push({type: 'rparen', pos: i++})
    } else if (ch === '=') {
      tokens.push({type: 'op', value: '=', pos: i++})
    } else if ((ch === '!' && input[i + 1] === '=') || (ch === '<' && input[i + 1] === '>')) {
      tokens.push({type: 'op', value: '!=', pos: i})
      i += 2
    } else if (ch === "'") {
      const start = i
      let value = ''
      i++
      for (;;) {
        if (i >= input.length) throw new SearchSyntaxError(`unterminated string starting at position ${start}`)
        if (input[i] === "'") {
          if (input[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }

          i++
          break
        }

        value += input[i]
        i++
      }

      tokens.push({type: 'string', value, pos: start})
    } else if (/[A-Za-z_]/.test(ch)) {
      const start = i
      while (i < input.length && /[A-Za-z0-9_.]/.test(input[i]!)) i++
      tokens.push({type: 'ident', value: input.slice(start, i), pos: start})
    } else {
      throw new SearchSyntaxError(`unexpected character '${ch}' at position ${i}`)
    }
  }

  return tokens
}

class Parser {
  private i = 0
  constructor(private readonly tokens: Token[]) {}

  parse(): SearchExpr {
    const expr = this.parseOr()
    const extra = this.tokens[this.i]
    if (extra) throw new SearchSyntaxError(`unexpected ${describe(extra)} at position ${extra.pos}`)
    return expr
  }

  private keyword(word: string): boolean {
    const t = this.tokens[this.i]
    if (t?.type === 'ident' && t.value.toLowerCase() === word) {
      this.i++
      return true
    }

    return false
  }

  private parseOr(): SearchExpr {
    let left = this.parseAnd()
    while (this.keyword('or')) left = {kind: 'or', left, right: this.parseAnd()}
    return left
  }

  private parseAnd(): SearchExpr {
    let left = this.parseUnary()
    while (this.keyword('and')) left = {kind: 'and', left, right: this.parseUnary()}
    return left
  }

  private parseUnary(): SearchExpr {
    if (this.keyword('not')) return {kind: 'not', expr: this.parseUnary()}
    const t = this.tokens[this.i]
    if (!t) throw new SearchSyntaxError('unexpected end of search expression')
    if (t.type === 'lparen') {
      this.i++
      const expr = this.parseOr()
      const close = this.tokens[this.i]
      if (close?.type !== 'rparen') {
        throw new SearchSyntaxError(close ? `expected ')' at position ${close.pos}` : "missing ')'")
      }

      this.i++
      return expr
    }

    if (t.type !== 'ident' || ['and', 'or', 'like', 'ilike'].includes(t.value.toLowerCase())) {
      throw new SearchSyntaxError(`expected a field name at position ${t.pos}, got ${describe(t)}`)
    }

    this.i++
    const field = t.value
    let op: '=' | '!=' | 'like' | 'ilike'
    const opToken = this.tokens[this.i]
    if (opToken?.type === 'op') {
      op = opToken.value
      this.i++
    } else if (this.keyword('like')) {
      op = 'like'
    } else if (this.keyword('ilike')) {
      op = 'ilike'
    } else {
      throw new SearchSyntaxError(
        opToken ? `expected an operator after '${field}' at position ${opToken.pos}` : `expected an operator after '${field}'`,
      )
    }

    const value = this.tokens[this.i]
    if (value?.type !== 'string') {
      throw new SearchSyntaxError(
        value ? `expected a quoted string at position ${value.pos}, got ${describe(value)}` : `expected a value after '${field} ${op}'`,
      )
    }

    this.i++
    return {kind: 'compare', field, op, value: value.value}
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'lparen': {
      return "'('"
    }

    case 'rparen': {
      return "')'"
    }

    case 'string': {
      return `string '${t.value}'`
    }

    default: {
      return `'${t.value}'`
    }
  }
}

/** Parses a search expression; throws SearchSyntaxError. An empty/blank search parses to undefined (match all). */
export function parseSearch(input: string): SearchExpr | undefined {
  const tokens = tokenize(input)
  if (tokens.length === 0) return undefined
  return new Parser(tokens).parse()
}

/** Every field name used in the expression. */
export function searchFields(expr: SearchExpr | undefined): string[] {
  if (!expr) return []
  switch (expr.kind) {
    case 'compare': {
      return [expr.field]
    }

    case 'not': {
      return searchFields(expr.expr)
    }

    default: {
      return [...searchFields(expr.left), ...searchFields(expr.right)]
    }
  }
}

/** A like pattern as an anchored regular expression (`%` → any run, `_` → any one character). */
export function likeToRegExp(pattern: string, caseInsensitive = false): RegExp {
  // A search is evaluated against every cluster (10,000 in a generated fleet): compile each pattern once.
  const key = `${caseInsensitive ? 'i' : 's'}:${pattern}`
  let cached = compiledLikes.get(key)
  if (!cached) {
    if (compiledLikes.size >= 1000) compiledLikes.clear()
    cached = compileLike(pattern, caseInsensitive)
    compiledLikes.set(key, cached)
  }

  return cached
}

const compiledLikes = new Map<string, RegExp>()

function compileLike(pattern: string, caseInsensitive: boolean): RegExp {
  let source = ''
  for (const ch of pattern) {
    if (ch === '%') source += '.*'
    else if (ch === '_') source += '.'
    else source += ch.replaceAll(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
  }

  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's')
}

/** Evaluates a parsed search against an object; `lookup` maps a field name to its string value. */
export function evaluateSearch(expr: SearchExpr | undefined, lookup: (field: string) => string | undefined): boolean {
  if (!expr) return true
  switch (expr.kind) {
    case 'and': {
      return evaluateSearch(expr.left, lookup) && evaluateSearch(expr.right, lookup)
    }

    case 'or': {
      return evaluateSearch(expr.left, lookup) || evaluateSearch(expr.right, lookup)
    }

    case 'not': {
      return !evaluateSearch(expr.expr, lookup)
    }

    case 'compare': {
      const actual = lookup(expr.field)
      if (actual === undefined) return false
      switch (expr.op) {
        case '=': {
          return actual === expr.value
        }

        case '!=': {
          return actual !== expr.value
        }

        case 'like': {
          return likeToRegExp(expr.value).test(actual)
        }

        case 'ilike': {
          return likeToRegExp(expr.value, true).test(actual)
        }
      }
    }
  }
}
