import { invalidOption } from './errors.js';
import { checkString } from './option-strings.js';
import { checkKeys } from './options.js';
import { type PluginSettings, pluginSettingKeys, pluginSettings } from './plugin-settings.js';

/** One option of a connector, as its README table shows it. */
export interface OptionDoc {
  /** The default value, copied into the connector's `<x>Defaults`. Left out when there is none or it is derived. */
  readonly default?: unknown;
  /** The default as the table shows it. Defaults to the `default` value in backticks, or `none`. */
  readonly shown?: string;
  /** Where the default comes from: `Redis' default`, `the spec`, `this package`. */
  readonly from: string;
  /** Why it is what it is, and what the option does. May be empty. */
  readonly why: string;
}

/** The options of a connector besides the {@link PluginSettings}, each with its {@link OptionDoc}. */
export type OptionDocs<Options> = {
  readonly [K in Exclude<keyof Options, keyof PluginSettings>]-?: OptionDoc;
};

/** The `default` of every option that has one. */
export type DefaultsOf<Docs> = {
  readonly [K in keyof Docs as Docs[K] extends { default: unknown } ? K : never]: Docs[K] extends {
    default: infer D;
  }
    ? D
    : never;
};

/** A row of the options table: option, default, where it comes from, why. */
export type OptionRow = readonly [option: string, shown: string, from: string, why: string];

/** A connector's options, declared once: the keys it accepts, its defaults and its README table derive from it. */
export interface OptionSchema<Options, Docs> {
  /** Every key the connector accepts, its own and the {@link PluginSettings} (`name` included). */
  readonly keys: readonly string[];
  /** The defaults, frozen: the connector exports them as `<x>Defaults`. */
  readonly defaults: DefaultsOf<Docs>;
  /** The README table's rows, header excluded, the plugin settings last. */
  rows(): OptionRow[];
  /** The README table as Markdown, columns aligned. */
  table(): string;
  /**
   * Checks what every connector takes alike, before anything connects: `given` is an object, `name` a non-empty
   * string (defaults to `defaults.name`), no unknown key (a misspelt option fails), and the plugin settings. Throws
   * `STARTUP_ERR_INVALID_OPTION` naming the field and the plugin.
   */
  accept(given: unknown): Accepted<Options>;
}

/** What {@link OptionSchema.accept} returns. */
export interface Accepted<Options> {
  /** The options, checked to be an object of known keys. */
  readonly options: Options;
  /** The plugin's name. */
  readonly name: string;
  /** `{ plugin: name }`, for the option checkers. */
  readonly at: { readonly plugin: string };
  /** The plugin settings that were given, checked, to spread into the plugin. */
  readonly settings: PluginSettings;
}

const header: OptionRow = ['Option', 'Default', 'Where it comes from', 'Why'];
const settingsRow: OptionRow = [
  '`optional`, `retry`, `breaker`, `timeouts`, `bulkhead`',
  "the runner's; no bulkhead",
  '`@startup/core`',
  "Core's plugin settings: start degraded without this dependency, the start's retry policy (`false`: one attempt), the breaker, the timeouts, a bulkhead from `createBulkhead()` shared with the plugins that reach the same backend (at most its `maxConcurrent` start attempts at once).",
];

/**
 * Declares a connector's options once. Give the options type first, then each option's default and reasons:
 * `optionSchema<RedisPluginOptions>()({ name: { default: 'redis', from: 'this package', why: '…' }, … })`. The
 * compiler reports an option missing from (or not in) the type. `notes` are extra table rows (a setting of the
 * origin with no option of its own), shown before the plugin settings.
 */
export function optionSchema<Options extends PluginSettings & { name?: string }>() {
  return <const Docs extends OptionDocs<Options>>(
    docs: Docs & Record<Exclude<keyof Docs, keyof OptionDocs<Options>>, never>,
    notes: readonly OptionRow[] = [],
  ): OptionSchema<Options, Docs> => {
    const own = Object.entries(docs as Record<string, OptionDoc>);
    const defaults: Record<string, unknown> = {};
    for (const [key, doc] of own) if ('default' in doc) defaults[key] = doc.default;
    const fallbackName = defaults.name;
    const keys = [...new Set([...own.map(([key]) => key), ...pluginSettingKeys])];
    const rows = (): OptionRow[] => [
      ...own.map(
        ([key, doc]): OptionRow => [`\`${key}\``, doc.shown ?? shownDefault(doc.default), doc.from, doc.why],
      ),
      ...notes,
      settingsRow,
    ];
    return {
      keys,
      defaults: Object.freeze(defaults) as DefaultsOf<Docs>,
      rows,
      table: () => markdownTable([header, ...rows()]),
      accept(given) {
        if (typeof given !== 'object' || given === null || Array.isArray(given)) {
          throw invalidOption('options', 'an object', given);
        }
        const options = given as Options;
        const name = checkString(
          'name',
          options.name,
          typeof fallbackName === 'string' ? fallbackName : undefined,
        );
        if (name === undefined) throw invalidOption('name', 'a non-empty string', name);
        checkKeys(options, keys, name);
        return { options, name, at: { plugin: name }, settings: pluginSettings(options, name) };
      },
    };
  };
}

function shownDefault(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return `\`'${value}'\``;
  return `\`${String(value)}\``;
}

/** Rows as a Markdown table, the first the header, columns padded to their widest cell. */
function markdownTable(rows: readonly OptionRow[]): string {
  const cells = rows.map((row) => row.map((cell) => cell.replaceAll('|', '\\|')));
  const widths = cells[0]!.map((_, i) => Math.max(3, ...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}
