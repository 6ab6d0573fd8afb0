/**
 * PromQL: just enough of the lexer to tell metric names from everything else, in the
 * expressions of deploy/observability's dashboard and alert rules (see observability-files.ts).
 */
import { aggregations, functions, labelListKeywords, numberWords, operatorKeywords } from "./promql-words.js";

type Token =
  | { kind: "identifier"; text: string; at: number }
  | { kind: "string"; text: string; at: number }
  | { kind: "number"; text: string; at: number }
  | { kind: "variable"; text: string; at: number }
  | { kind: "punctuation"; text: string; at: number };

export class PromqlError extends Error {
  constructor(expression: string, at: number, message: string) {
    super(`${message} at ${at} of: ${expression}`);
    this.name = "PromqlError";
  }
}

function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  return literal.startsWith("`") ? body : body.replace(/\\(.)/g, "$1");
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const patterns: Array<[Token["kind"] | "space" | "comment", RegExp]> = [
    ["space", /\s+/y],
    ["comment", /#[^\n]*/y],
    ["string", /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`/y],
    // Grafana's template variables: $job, ${job}, ${job:regex}, [[job]] (old syntax).
    ["variable", /\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z_][A-Za-z0-9_:]*\]\]/y],
    // Numbers and durations (0.99, 1e3, 0x1f, 5m, 1h30m); a leading sign is the unary operator.
    [
      "number",
      /0[xX][0-9a-fA-F]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:(?:ms|[smhdwy])(?:[0-9]+(?:ms|[smhdwy]))*)?/y,
    ],
    ["identifier", /[A-Za-z_][A-Za-z0-9_:]*/y],
    ["punctuation", /==|!=|=~|!~|>=|<=|[-+*/%^=<>(){}[\],:@]/y],
  ];
  outer: while (i < expression.length) {
    for (const [kind, pattern] of patterns) {
      pattern.lastIndex = i;
      const match = pattern.exec(expression);
      if (!match) continue;
      if (kind !== "space" && kind !== "comment") tokens.push({ kind, text: match[0], at: i } as Token);
      i += match[0].length;
      continue outer;
    }
    throw new PromqlError(expression, i, `unexpected character "${expression[i]}"`);
  }
  return tokens;
}

/** One vector selector of an expression: its metric and the labels its matchers name. */
export interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

export interface PromqlReading {
  readonly selectors: readonly Selector[];
  /** Labels named by by/without/on/ignoring/group_left/group_right. */
  readonly grouping: readonly string[];
}

/**
 * Reads a PromQL expression: the metric names it selects, as written (`foo_bucket` stays
 * `foo_bucket`), with the labels of each selector's matchers, and the labels it groups or
 * matches on. Label names, functions, aggregations, keywords, strings, numbers, durations and
 * Grafana variables are not metric names; `{__name__="x"}` is. Throws on an unknown function (a
 * typo would otherwise read as a metric), on unbalanced brackets and on names inside a range.
 */
export function readPromql(expression: string): PromqlReading {
  const tokens = tokenize(expression);
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  const closers: string[] = [];
  const next = (index: number) => tokens[index + 1];

  /** Reads `{...}` from tokens[start] ("{"): the labels its matchers name, the __name__ it gives, its end. */
  const matchers = (start: number) => {
    const labels: string[] = [];
    let name: string | undefined;
    let index = start + 1;
    for (; index < tokens.length && tokens[index]!.text !== "}"; index++) {
      const label = tokens[index]!;
      if (label.kind !== "identifier" || !/^(=|!=|=~|!~)$/.test(tokens[index + 1]?.text ?? "")) continue;
      const value = tokens[index + 2];
      if (label.text === "__name__") {
        if (tokens[index + 1]?.text === "=" && value?.kind === "string") name = unquote(value.text);
      } else labels.push(label.text);
    }
    if (index >= tokens.length) throw new PromqlError(expression, tokens[start]!.at, 'unclosed "{"');
    return { labels, name, end: index };
  };

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind === "punctuation") {
      if (token.text === "{") {
        // A selector without a metric name before it: only __name__ can give one.
        const read = matchers(index);
        if (read.name !== undefined) selectors.push({ metric: read.name, labels: read.labels });
        index = read.end;
      } else if (token.text === "[") {
        // A range or a subquery's range and step: durations and Grafana variables only.
        for (index++; index < tokens.length && tokens[index]!.text !== "]"; index++) {
          const inside = tokens[index]!;
          if (inside.kind === "identifier") {
            throw new PromqlError(expression, inside.at, `"${inside.text}" inside a range`);
          }
        }
        if (index >= tokens.length) throw new PromqlError(expression, token.at, 'unclosed "["');
      } else if (token.text === "(") {
        closers.push(")");
      } else if (token.text === ")" || token.text === "}" || token.text === "]") {
        if (closers.pop() !== token.text) throw new PromqlError(expression, token.at, `unbalanced "${token.text}"`);
      }
      continue;
    }
    if (token.kind !== "identifier") continue;
    const word = token.text;
    const lower = word.toLowerCase();
    if (labelListKeywords.has(lower)) {
      // A list of label names, optional after group_left/group_right.
      if (next(index)?.text !== "(") {
        if (lower === "group_left" || lower === "group_right") continue;
        throw new PromqlError(expression, token.at, `"${word}" without its label list`);
      }
      let close = index + 2;
      while (close < tokens.length && tokens[close]!.text !== ")") {
        const label = tokens[close]!;
        if (label.kind === "identifier") grouping.push(label.text);
        else if (label.text !== ",") {
          throw new PromqlError(expression, label.at, `"${label.text}" in the label list of ${word}`);
        }
        close++;
      }
      if (close >= tokens.length) throw new PromqlError(expression, token.at, `unclosed label list of ${word}`);
      index = close;
      continue;
    }
    if (operatorKeywords.has(lower) || numberWords.has(lower)) continue;
    if (aggregations.has(word)) continue;
    if (next(index)?.text === "(") {
      if (!functions.has(word)) throw new PromqlError(expression, token.at, `unknown function "${word}"`);
      continue;
    }
    if (next(index)?.text === "{") {
      const read = matchers(index + 1);
      selectors.push({ metric: word, labels: read.labels });
      index = read.end;
    } else selectors.push({ metric: word, labels: [] });
  }
  if (closers.length > 0) throw new PromqlError(expression, expression.length, `unclosed "${closers.at(-1)}"`);
  return { selectors, grouping };
}

/** The metric names a PromQL expression selects, as written (see readPromql). */
export function metricNamesOf(expression: string): string[] {
  return readPromql(expression).selectors.map((selector) => selector.metric);
}
