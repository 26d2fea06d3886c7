/** Values a message template can name: `{{resource.name}}`, `{{actual}}`, `{{params.maxMinutes}}`. */
export type TemplateScope = Record<string, unknown>;

const FILTERS: Record<string, (value: unknown) => string> = {
  /** Seconds as the largest whole unit: 3600 -> "1 hour", 90 -> "90 seconds". */
  duration: (value) => (typeof value === 'number' ? formatDuration(value) : show(value)),
  json: (value) => JSON.stringify(value) ?? 'undefined',
  /** A list as its items separated by commas. */
  list: (value) => (Array.isArray(value) ? value.map(show).join(', ') : show(value)),
};

/** Formats a number of seconds as the largest unit that divides it evenly. */
export function formatDuration(seconds: number): string {
  const units: Array<[string, number]> = [
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [name, size] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'unknown';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Names a template uses that `isKnown` rejects (checked when rules load). */
export function templateNames(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([^}|\s]+)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g)].map((m) => m[1]!);
}

/** Filters a template uses that do not exist. */
export function unknownFilters(template: string): string[] {
  return [...template.matchAll(/\{\{[^}|]*\|\s*([a-zA-Z]+)\s*\}\}/g)]
    .map((m) => m[1]!)
    .filter((f) => !Object.hasOwn(FILTERS, f));
}

/** Fills `{{dotted.name}}` and `{{name|filter}}` placeholders; unknown names stay visible as-is. */
export function renderTemplate(template: string, scope: TemplateScope): string {
  return template.replace(/\{\{\s*([^}|\s]+)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g, (whole, name: string, filter?: string) => {
    let value: unknown = scope;
    for (const part of name.split('.')) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return whole;
      value = (value as Record<string, unknown>)[part];
    }
    const f = filter ? FILTERS[filter] : undefined;
    return f ? f(value) : show(value);
  });
}
