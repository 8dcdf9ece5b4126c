import {expect} from 'chai'

import {SearchSyntaxError, evaluateSearch, likeToRegExp, parseSearch} from '../../src/simulator/search.js'

describe('simulator OCM search syntax', () => {
  const row: Record<string, string> = {id: 'abc', name: 'prod-east-1', external_id: 'e-1', display_name: "it's (1+1)"}
  const matches = (search: string): boolean => evaluateSearch(parseSearch(search), (field) => row[field])

  it('parses the CLI’s search and matches any of the three clauses', () => {
    expect(matches("(id = 'abc' or name like 'abc' or external_id = 'abc')")).to.equal(true)
    expect(matches("(id = 'e-1' or name like 'e-1' or external_id = 'e-1')")).to.equal(true)
    expect(matches("(id = 'nope' or name like 'nope' or external_id = 'nope')")).to.equal(false)
  })

  it('gives and precedence over or, and honours parentheses and not', () => {
    expect(matches("id = 'x' and name = 'y' or id = 'abc'")).to.equal(true)
    expect(matches("id = 'x' and (name = 'y' or id = 'abc')")).to.equal(false)
    expect(matches("not id = 'x' AND name LIKE 'prod%'")).to.equal(true)
    expect(matches("id != 'abc'")).to.equal(false)
  })

  it('unescapes doubled quotes and treats regex characters literally', () => {
    expect(matches("display_name = 'it''s (1+1)'")).to.equal(true)
    expect(matches("display_name like 'it''s (1+_)'")).to.equal(true)
    expect(likeToRegExp('a.b%').test('a.bcd')).to.equal(true)
    expect(likeToRegExp('a.b%').test('axbcd')).to.equal(false)
    expect(likeToRegExp('prod-east').test('PROD-EAST')).to.equal(false)
    expect(likeToRegExp('prod-east', true).test('PROD-EAST')).to.equal(true)
  })

  it('treats a blank search as match-all', () => {
    expect(parseSearch('   ')).to.equal(undefined)
    expect(matches('')).to.equal(true)
  })

  it('rejects malformed searches with SearchSyntaxError', () => {
    for (const bad of ["name = 'x", "(name = 'x'", 'name = x', "name 'x'", "= 'x'", "name = 'x' and", "name = 'x')", "name = 'x' ; drop"]) {
      expect(() => parseSearch(bad), bad).to.throw(SearchSyntaxError)
    }
  })
})
