import { CONTROLS } from '../controls/catalog.js';
import { renderCatalogJson, renderCatalogMarkdown, renderCatalogText } from '../controls/render-catalog.js';
import { buildPolicySchema } from '../policy/policy-schema.js';
import { EXIT, type ExitCode } from '../run/exit-codes.js';
import { parse, UsageError } from './args.js';
import type { CliIo } from './io.js';

/** `mailwarden controls [--format text|markdown|json|schema]`: the control catalog, or the policy schema. */
export function controlsCommand(args: readonly string[], io: CliIo): ExitCode {
  const { values } = parse(args, { format: { type: 'string' } }, 0);
  const format = values.format ?? 'text';
  switch (format) {
    case 'text':
      io.stdout(renderCatalogText(CONTROLS));
      return EXIT.done;
    case 'markdown':
      io.stdout(renderCatalogMarkdown(CONTROLS));
      return EXIT.done;
    case 'json':
      io.stdout(renderCatalogJson(CONTROLS));
      return EXIT.done;
    case 'schema':
      io.stdout(`${JSON.stringify(buildPolicySchema(CONTROLS), null, 2)}\n`);
      return EXIT.done;
    default:
      throw new UsageError(`--format: expected text, markdown, json or schema, got "${format}"`);
  }
}
