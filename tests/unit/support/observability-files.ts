/**
 * deploy/observability as data: the Grafana dashboard, the Prometheus alert rules and scrape
 * configs, the PromQL expressions they hold (read by promql.ts) and the metric names those
 * expressions read. Shared by the unit test of those files (tests/unit/observability-files.test.ts)
 * and the test that checks every named metric against real scrapes of the four services
 * (tests/observability-as-code.test.ts), which reads the scrapes with @asky/stack/testing's
 * prometheus-text.ts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { metricNamesOf } from "./promql.js";

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
