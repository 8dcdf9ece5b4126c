import {StringDecoder} from 'node:string_decoder'

/** A line longer than this is cut into pieces of this size (a child that never prints a newline cannot grow memory). */
export const MAX_LINE_CHARS = 64 * 1024

/** Cuts a byte stream into whole lines (UTF-8 safe): `push` calls `emit` once per complete line, without its newline. */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    let text = this.pending + this.decoder.write(chunk)
    let start = 0
    for (;;) {
      const nl = text.indexOf('\n', start)
      if (nl < 0) break
      this.emit(text.slice(start, nl > start && text[nl - 1] === '\r' ? nl - 1 : nl))
      start = nl + 1
    }

    text = text.slice(start)
    while (text.length > MAX_LINE_CHARS) {
      this.emit(text.slice(0, MAX_LINE_CHARS))
      text = text.slice(MAX_LINE_CHARS)
    }

    this.pending = text
  }

  /** The last line, when the stream did not end with a newline. */
  end(): void {
    const rest = this.pending + this.decoder.end()
    this.pending = ''
    if (rest !== '') this.emit(rest)
  }
}

/** Keeps the first `maxBytes` bytes of a stream as text, and counts what it had to drop. */
export class Capture {
  private readonly chunks: Buffer[] = []
  private kept = 0
  dropped = 0

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    const room = this.maxBytes - this.kept
    if (room >= chunk.length) {
      this.chunks.push(chunk)
      this.kept += chunk.length
      return
    }

    if (room > 0) {
      this.chunks.push(chunk.subarray(0, room))
      this.kept += room
    }

    this.dropped += chunk.length - Math.max(0, room)
  }

  /** The text kept; a character cut in two at the limit is dropped whole. */
  text(): string {
    const buffer = Buffer.concat(this.chunks)
    return new StringDecoder('utf8').write(buffer)
  }
}
