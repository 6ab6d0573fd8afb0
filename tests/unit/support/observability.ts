/**
 * deploy/observability as data: the Grafana dashboard, the Prometheus alert rules and scrape
 * configs, the PromQL expressions they hold and the metric names those expressions read, and
 * Prometheus' text exposition format. Shared by the unit test of those files
 * (tests/unit/observability-files.test.ts) and the test that checks every named metric against
 * real scrapes of the four services (tests/observability-as-code.test.ts).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const folder = fileURLToPath(new URL("../../../deploy/observability/", import.meta.url));
export const dashboardPath = `${folder}grafana-dashboard.json`;
export const alertsPath = `${folder}prometheus-alerts.yml`;
export const scrapePath = `${folder}prometheus-scrape.yml`;
export const kubernetesScrapePath = `${folder}prometheus-scrape-kubernetes.yml`;

/**
 * Metrics the files may name that no Asky service serves, and who provides them. Anything
 * else they name must be in a scrape of the services.
 */
export const externalMetrics: Readonly<Record<string, string>> = {
  up: "Prometheus itself, one series per scrape target",
  kube_pod_container_status_restarts_total: "kube-state-metrics (Kubernetes only)",
};

// ---------------------------------------------------------------------------------------------
// PromQL: just enough of the lexer to tell metric names from everything else.

/** PromQL's functions (Prometheus 3), `start()`/`end()` of the `@` modifier included. */
const functions = new Set([
  "abs",
  "absent",
  "absent_over_time",
  "acos",
  "acosh",
  "asin",
  "asinh",
  "atan",
  "atanh",
  "avg_over_time",
  "ceil",
  "changes",
  "clamp",
  "clamp_max",
  "clamp_min",
  "cos",
  "cosh",
  "count_over_time",
  "day_of_month",
  "day_of_week",
  "day_of_year",
  "days_in_month",
  "deg",
  "delta",
  "deriv",
  "double_exponential_smoothing",
  "end",
  "exp",
  "floor",
  "histogram_avg",
  "histogram_count",
  "histogram_fraction",
  "histogram_quantile",
  "histogram_stddev",
  "histogram_stdvar",
  "histogram_sum",
  "holt_winters",
  "hour",
  "idelta",
  "increase",
  "info",
  "irate",
  "label_join",
  "label_replace",
  "last_over_time",
  "ln",
  "log10",
  "log2",
  "mad_over_time",
  "max_over_time",
  "min_over_time",
  "minute",
  "month",
  "pi",
  "predict_linear",
  "present_over_time",
  "quantile_over_time",
  "rad",
  "rate",
  "resets",
  "round",
  "scalar",
  "sgn",
  "sin",
  "sinh",
  "sort",
  "sort_by_label",
  "sort_by_label_desc",
  "sort_desc",
  "sqrt",
  "start",
  "stddev_over_time",
  "stdvar_over_time",
  "sum_over_time",
  "tan",
  "tanh",
  "time",
  "timestamp",
  "vector",
  "year",
]);

const aggregations = new Set([
  "avg",
  "bottomk",
  "count",
  "count_values",
  "group",
  "limit_ratio",
  "limitk",
  "max",
  "min",
  "quantile",
  "stddev",
  "stdvar",
  "sum",
  "topk",
]);

/** Keywords followed by a parenthesised list of label names. */
const labelListKeywords = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);
const operatorKeywords = new Set(["and", "or", "unless", "atan2", "bool", "offset"]);
const numberWords = new Set(["inf", "nan"]);

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

// ---------------------------------------------------------------------------------------------
// The files.

export interface GrafanaTarget {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
export interface GrafanaPanel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { h: number; w: number; x: number; y: number };
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}
export interface GrafanaVariable {
  name: string;
  type: string;
  query?: string | { query?: string };
  datasource?: { type?: string; uid?: string };
}
export interface GrafanaDashboard {
  uid?: string;
  title?: string;
  panels?: GrafanaPanel[];
  templating?: { list?: GrafanaVariable[] };
}

export interface AlertRule {
  alert?: string;
  record?: string;
  expr?: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name?: string;
  rules?: AlertRule[];
}
export interface RuleFile {
  groups?: RuleGroup[];
}

export const loadDashboard = (): GrafanaDashboard =>
  JSON.parse(readFileSync(dashboardPath, "utf8")) as GrafanaDashboard;

export const loadAlertRules = (): RuleFile => parse(readFileSync(alertsPath, "utf8")) as RuleFile;

/** Every panel, those nested in (collapsed) rows included. */
export function panelsOf(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/** A Grafana query variable's PromQL: `label_values(<selector>, label)` gives the selector. */
function variableExpression(variable: GrafanaVariable): string | null {
  if (variable.type !== "query") return null;
  const query = typeof variable.query === "string" ? variable.query : (variable.query?.query ?? "");
  const labelValues = /^\s*label_values\(\s*(.+?)\s*,\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*$/s.exec(query);
  if (labelValues) return labelValues[1]!;
  const queryResult = /^\s*query_result\((.+)\)\s*$/s.exec(query);
  if (queryResult) return queryResult[1]!;
  // label_names(), metrics(...) name no metric of their own.
  return /^\s*(label_names|metrics)\(/.test(query) ? null : query;
}

/** Where an expression is used, for messages. */
export interface Expression {
  readonly where: string;
  readonly expr: string;
}

export function dashboardExpressions(dashboard: GrafanaDashboard): Expression[] {
  const fromPanels = panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr !== undefined)
      .map((target) => ({ where: `dashboard panel ${panel.id} "${panel.title}" ${target.refId}`, expr: target.expr! })),
  );
  const fromVariables = (dashboard.templating?.list ?? []).flatMap((variable) => {
    const expr = variableExpression(variable);
    return expr === null ? [] : [{ where: `dashboard variable $${variable.name}`, expr }];
  });
  return [...fromPanels, ...fromVariables];
}

export function alertExpressions(rules: RuleFile): Expression[] {
  return (rules.groups ?? []).flatMap((group) =>
    (group.rules ?? []).map((rule) => ({
      where: `alert ${rule.alert ?? rule.record} (group ${group.name})`,
      expr: String(rule.expr ?? ""),
    })),
  );
}

/** Each metric name the dashboard and the alert rules read, with where. */
export function referencedMetrics(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const { where, expr } of [...dashboardExpressions(loadDashboard()), ...alertExpressions(loadAlertRules())]) {
    for (const name of metricNamesOf(expr)) found.set(name, [...(found.get(name) ?? []), where]);
  }
  return found;
}

/** What is wrong with the dashboard's structure (empty: nothing). */
export function dashboardProblems(dashboard: GrafanaDashboard): string[] {
  const problems: string[] = [];
  const panels = panelsOf(dashboard);
  const ids = panels.map((panel) => panel.id);
  for (const [index, id] of ids.entries()) {
    if (typeof id !== "number") problems.push(`panel "${panels[index]?.title}" has no numeric id`);
    else if (ids.indexOf(id) !== index) problems.push(`panel id ${id} is used twice`);
  }
  const variables = dashboard.templating?.list ?? [];
  const datasource = variables.find((variable) => variable.name === "DS_PROMETHEUS");
  if (datasource?.type !== "datasource") problems.push("no datasource variable DS_PROMETHEUS");
  const usesVariable = (source: { type?: string; uid?: string } | undefined) =>
    source?.type === "prometheus" && source.uid === "${DS_PROMETHEUS}";
  for (const panel of panels) {
    if (panel.type === "row") continue;
    if (!usesVariable(panel.datasource)) problems.push(`panel ${panel.id}: datasource is not \${DS_PROMETHEUS}`);
    if ((panel.targets ?? []).length === 0) problems.push(`panel ${panel.id} "${panel.title}" has no query`);
    for (const target of panel.targets ?? []) {
      if (!target.expr?.trim()) problems.push(`panel ${panel.id} ${target.refId}: empty expr`);
      if (target.datasource && !usesVariable(target.datasource)) {
        problems.push(`panel ${panel.id} ${target.refId}: datasource is not \${DS_PROMETHEUS}`);
      }
    }
    const grid = panel.gridPos;
    if (!grid || grid.x < 0 || grid.w < 1 || grid.x + grid.w > 24) problems.push(`panel ${panel.id}: bad gridPos`);
  }
  return problems;
}

/** What is wrong with the alert rules file's structure (empty: nothing). */
export function alertRuleProblems(rules: RuleFile): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rules.groups) || rules.groups.length === 0) return ["no groups"];
  const groupNames = new Set<string>();
  const alertNames = new Set<string>();
  for (const group of rules.groups) {
    if (!group.name) problems.push("a group without a name");
    else if (groupNames.has(group.name)) problems.push(`group ${group.name} twice`);
    else groupNames.add(group.name);
    if (!Array.isArray(group.rules) || group.rules.length === 0) problems.push(`group ${group.name} has no rules`);
    for (const rule of group.rules ?? []) {
      const name = rule.alert ?? "(no alert name)";
      const allowed = new Set(["alert", "expr", "for", "keep_firing_for", "labels", "annotations"]);
      for (const key of Object.keys(rule)) if (!allowed.has(key)) problems.push(`${name}: unknown key ${key}`);
      if (!rule.alert || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(rule.alert)) problems.push(`${name}: bad alert name`);
      else if (alertNames.has(rule.alert)) problems.push(`${name} twice`);
      else alertNames.add(rule.alert);
      if (typeof rule.expr !== "string" || rule.expr.trim() === "") problems.push(`${name}: no expr`);
      if (typeof rule.for !== "string" || !/^([0-9]+(ms|[smhdwy]))+$/.test(rule.for)) {
        problems.push(`${name}: for must be a duration`);
      }
      if (!["critical", "warning", "info"].includes(rule.labels?.severity ?? "")) {
        problems.push(`${name}: labels.severity must be critical, warning or info`);
      }
      for (const annotation of ["summary", "description", "runbook"]) {
        const text = rule.annotations?.[annotation];
        if (typeof text !== "string" || text.trim().length < 10) problems.push(`${name}: no annotations.${annotation}`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Prometheus' text exposition format.

export interface Exposition {
  /** Names of the samples present (`foo_bucket`, `foo_count`, `bar_total`...). */
  readonly samples: ReadonlySet<string>;
  /** `# TYPE` of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** The label names seen on each sample name. */
  readonly labels: ReadonlyMap<string, ReadonlySet<string>>;
}

export function parseExposition(text: string): Exposition {
  const samples = new Set<string>();
  const types = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split("\n")) {
    const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith("#") || line.trim() === "") continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?/.exec(line);
    if (!sample) continue;
    const name = sample[1]!;
    samples.add(name);
    const seen = labels.get(name) ?? new Set<string>();
    for (const pair of (sample[2] ?? "").matchAll(/([A-Za-z_][A-Za-z0-9_]*)="(?:[^"\\]|\\.)*"/g)) seen.add(pair[1]!);
    labels.set(name, seen);
  }
  return { samples, types, labels };
}

const histogramSeries = /^(.+)_(bucket|count|sum)$/;

/** The name a referenced series belongs to: a histogram's `_bucket`/`_count`/`_sum` drop their suffix. */
export function baseName(name: string): string {
  return histogramSeries.exec(name)?.[1] ?? name;
}

/**
 * Whether a query of `name` finds samples in this scrape: the name is a sample of it, and a
 * histogram's series are only named with their suffix (a bare histogram name selects nothing).
 */
export function servedBy(name: string, exposition: Exposition): boolean {
  if (!exposition.samples.has(name)) return false;
  const series = histogramSeries.exec(name);
  if (series) {
    const type = exposition.types.get(series[1]!);
    // foo_count may also be a counter or gauge of its own name.
    if (type !== undefined) return type === "histogram" || (type === "summary" && series[2] !== "bucket");
  }
  return exposition.types.get(name) !== "histogram";
}
