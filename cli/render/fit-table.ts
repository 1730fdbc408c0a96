import Table from 'cli-table3';

/** The width tables must fit: the terminal's, or 100 columns when the output is piped or redirected. */
export function outputWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? stream.columns : 100;
}

export interface Column {
  readonly head: string;
  /**
   * How the column may be narrowed: `keep` never (service and execution names), `words` only between words (a cell
   * naming services: "posts (w0) + api (w100)"), `anywhere` (the default) between words first, then inside them.
   */
  readonly wrap?: 'keep' | 'words' | 'anywhere';
}

// Every character this CLI puts in a table (ASCII, …, →, ×) is one column wide.
const length = (text: string) => [...text].length;
const longestWord = (text: string) => Math.max(0, ...text.split(/\s+/).map(length));
const PADDING = 2;
const MIN_CONTENT = 6;

/** Lines of at most `width` characters, broken between words; a longer word is cut into pieces when `split`. */
function wrap(text: string, width: number, split: boolean): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const pieces = split && length(word) > width ? (word.match(new RegExp(`.{1,${width}}`, 'gu')) ?? [word]) : [word];
      for (const piece of pieces) {
        if (line && length(line) + 1 + length(piece) <= width) line = `${line} ${piece}`;
        else {
          if (line) lines.push(line);
          line = piece;
        }
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * A table no wider than `maxWidth`: columns keep their natural width while the table fits; otherwise the widest
 * columns that may wrap are narrowed, first down to their longest word (wrapped between words), then, for `anywhere`
 * columns, further (long words cut). If even that does not fit, the table is as narrow as it can be.
 */
export function fitTable(columns: readonly Column[], rows: readonly (readonly string[])[], maxWidth: number): string {
  const cells = (index: number) => [columns[index]?.head ?? '', ...rows.map((row) => row[index] ?? '')];
  const natural = columns.map((_, index) => Math.max(...cells(index).flatMap((cell) => cell.split('\n').map(length))));
  const byWord = columns.map((column, index) => (column.wrap === 'keep' ? (natural[index] ?? 0) : Math.max(...cells(index).map(longestWord))));
  const anywhere = columns.map((column, index) => (column.wrap === undefined || column.wrap === 'anywhere' ? Math.min(natural[index] ?? 0, MIN_CONTENT) : (byWord[index] ?? 0)));
  const widths = [...natural];
  const total = () => widths.reduce((sum, width) => sum + width + PADDING, 0) + columns.length + 1;
  const narrow = (floor: readonly number[]) => {
    while (total() > maxWidth) {
      let widest = -1;
      widths.forEach((width, index) => {
        if (width > (floor[index] ?? width) && (widest < 0 || width > (widths[widest] ?? 0))) widest = index;
      });
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  narrow(byWord);
  narrow(anywhere);
  const fitted = (text: string, index: number) => {
    const width = widths[index] ?? 0;
    return width >= (natural[index] ?? 0) ? text : wrap(text, width, width < (byWord[index] ?? 0));
  };
  const table = new Table({
    head: columns.map((column, index) => fitted(column.head, index)),
    colWidths: widths.map((width) => width + PADDING),
    style: { head: [], border: [] },
  });
  for (const row of rows) table.push(row.map(fitted));
  return table.toString();
}
