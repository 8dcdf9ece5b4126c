import {expect} from 'chai'

import type {Job, Script} from '../../../src/lib/backplane/scripts.js'

import {jobParameters, jobTable} from '../../../src/lib/output/jobs.js'
import {describeScript, scriptTable, shortDescriptionOf} from '../../../src/lib/output/scripts.js'
import {cellText, relativeTime, renderTable, truncate} from '../../../src/lib/output/table.js'

describe('output: renderTable', () => {
  it('aligns columns two spaces apart, headers first, no trailing spaces', () => {
    const out = renderTable([{header: 'NAME'}, {header: 'DESCRIPTION'}], [['a', 'first'], ['longer-name', 'x']])
    expect(out).to.equal(['NAME         DESCRIPTION', 'a            first', 'longer-name  x'].join('\n'))
  })

  it('shows missing cells as -, and never lets a cell break a line (control characters as visible escapes)', () => {
    const out = renderTable([{header: 'A'}, {header: 'B'}, {header: 'C'}], [[undefined, null, 'two\nlines\tand\u001B[31mescapes']])
    expect(out.split('\n')).to.deep.equal(['A  B  C', '-  -  two\\nlines\\tand\\x1b[31mescapes'])
  })

  it('shrinks the shrinkable column to fit maxWidth, ending cut cells with …', () => {
    const rows = [['sre/restart-pods', 'Restart the pods of a namespace so that their controllers recreate them']]
    const out = renderTable([{header: 'NAME'}, {header: 'DESCRIPTION', shrink: true}], rows, {maxWidth: 40})
    const lines = out.split('\n')
    for (const line of lines) expect([...line].length).to.be.at.most(40)
    expect(lines[1]).to.equal('sre/restart-pods  Restart the pods of a…')
    // Without a limit (not a TTY): the full text.
    expect(renderTable([{header: 'NAME'}, {header: 'DESCRIPTION', shrink: true}], rows).split('\n')[1]).to.equal(`sre/restart-pods  ${rows[0][1]}`)
  })

  it('never shrinks a column below its floor, even on a very narrow terminal', () => {
    const out = renderTable([{header: 'NAME'}, {header: 'DESCRIPTION', shrink: true}], [['n', 'a fairly long description']], {maxWidth: 5})
    expect(out.split('\n')[1]).to.equal('n     a fairly l…')
  })

  it('counts characters, not UTF-16 units, when padding and cutting', () => {
    expect(truncate('ééééé', 3)).to.equal('éé…')
    expect(truncate('short', 10)).to.equal('short')
    const out = renderTable([{header: 'X'}, {header: 'Y'}], [['😀😀', 'a'], ['abc', 'b']])
    expect(out.split('\n')).to.deep.equal(['X    Y', '😀😀   a', 'abc  b'])
  })

  it('cellText', () => {
    expect(cellText('')).to.equal('-')
    expect(cellText('  ')).to.equal('-')
    expect(cellText(3)).to.equal('3')
  })
})

describe('output: relativeTime', () => {
  const now = Date.parse('2024-05-01T12:00:00Z')
  it('seconds, minutes, hours, days', () => {
    expect(relativeTime('2024-05-01T11:59:58Z', now)).to.equal('just now')
    expect(relativeTime('2024-05-01T11:59:30Z', now)).to.equal('30s ago')
    expect(relativeTime('2024-05-01T11:55:00Z', now)).to.equal('5m ago')
    expect(relativeTime('2024-05-01T09:00:00Z', now)).to.equal('3h ago')
    expect(relativeTime('2024-04-28T12:00:00Z', now)).to.equal('3d ago')
  })

  it('anything that is not a past date is shown as it came', () => {
    expect(relativeTime(undefined, now)).to.equal('-')
    expect(relativeTime('yesterday-ish', now)).to.equal('yesterday-ish')
    expect(relativeTime('2030-01-01T00:00:00Z', now)).to.equal('2030-01-01T00:00:00Z')
  })
})

describe('output: scripts', () => {
  const scripts: Script[] = [
    {allowedGroups: ['sre', 'cee'], canonicalName: 'sre/cluster-health', description: 'Summarise the health.\nSecond line.'},
    {canonicalName: 'sre/restart-pods', description: 'long form', shortDescription: 'Restart pods\nmore'},
    {},
  ]

  it('the description column is the first line of the short description, else of the description', () => {
    expect(scripts.map((s) => shortDescriptionOf(s))).to.deep.equal(['Summarise the health.', 'Restart pods', '-'])
    expect(scriptTable(scripts).split('\n')).to.deep.equal([
      'NAME                DESCRIPTION',
      'sre/cluster-health  Summarise the health.',
      'sre/restart-pods    Restart pods',
      '-                   -',
    ])
  })

  it('--all adds ALLOWED GROUPS, last (as Go)', () => {
    expect(scriptTable(scripts.slice(0, 2), {allowedGroups: true}).split('\n')).to.deep.equal([
      'NAME                DESCRIPTION            ALLOWED GROUPS',
      'sre/cluster-health  Summarise the health.  sre, cee',
      'sre/restart-pods    Restart pods           -',
    ])
  })

  it('describe: every field, multi-line descriptions indented, parameters split; missing fields are -', () => {
    const text = describeScript({
      allowedGroups: ['sre'],
      author: 'jdoe',
      canonicalName: 'sre/restart-pods',
      description: 'Line one.\nLine two.',
      envs: [
        {description: 'the namespace', key: 'NAMESPACE'},
        {description: 'a selector', key: 'LABEL_SELECTOR', optional: true},
      ],
      language: 'bash',
    })
    expect(text.split('\n')).to.deep.equal([
      'Canonical name: sre/restart-pods',
      'Author:         jdoe',
      'Description:    Line one.',
      '                Line two.',
      'Allowed groups: sre',
      'Language:       bash',
      'Permalink:      -',
      'Customer data:  -',
      '',
      'Required parameters:',
      '  NAMESPACE  the namespace',
      'Optional parameters:',
      '  LABEL_SELECTOR  a selector',
    ])
    const bare = describeScript({canonicalName: 'x/y'}).split('\n')
    expect(bare.slice(1, 7).every((l) => l.endsWith(' -'))).to.equal(true)
    expect(bare.at(-1)).to.equal('Parameters: none')
  })
})

describe('output: jobs', () => {
  const job: Job = {
    jobId: 'job-abc',
    jobStatus: {envs: [{key: 'NAMESPACE', value: 'demo'}], namespace: 'openshift-backplane-managed-scripts', script: {canonicalName: 'sre/restart-pods'}, start: '2024-05-01T11:55:00Z', status: 'Running'},
  }

  it('JOBID / STATUS / NAMESPACE / START / SCRIPT (Go\'s order), ISO or relative', () => {
    expect(jobTable([job, {jobId: 'job-bare'}]).split('\n')).to.deep.equal([
      'JOBID     STATUS   NAMESPACE                            START                 SCRIPT',
      'job-abc   Running  openshift-backplane-managed-scripts  2024-05-01T11:55:00Z  sre/restart-pods',
      'job-bare  Unknown  -                                    -                     -',
    ])
    expect(jobTable([job], {now: Date.parse('2024-05-01T12:00:00Z'), relative: true}).split('\n')[1]).to.match(/^job-abc +Running +openshift-backplane-managed-scripts +5m ago +sre\/restart-pods$/)
  })

  it('parameters as KEY=VALUE lines', () => {
    expect(jobParameters(job)).to.equal('Parameters:\n  NAMESPACE=demo')
    expect(jobParameters({jobId: 'j'})).to.equal('Parameters: none')
  })
})
