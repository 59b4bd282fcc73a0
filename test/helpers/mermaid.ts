import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface JisonParser {
  yy: Record<string, unknown>;
  parse(text: string): unknown;
}

/**
 * Mermaid's own `xychart-beta` parser (the jison grammar shipped in the `mermaid` package). The
 * full `mermaid.parse()` needs a DOM (DOMPurify) that Node lacks, so the grammar runs with a
 * recording database in place of mermaid's, which only sanitises and stores what it is given.
 * The chunk's file name carries a build hash, so it is found by prefix.
 */
export async function xychartParser(): Promise<(text: string) => { readonly calls: readonly [string, unknown[]][] }> {
  const dir = path.join(process.cwd(), 'node_modules/mermaid/dist/chunks/mermaid.core');
  const file = readdirSync(dir).find((f) => /^xychartDiagram-[A-Z0-9]+\.mjs$/.test(f));
  if (!file) throw new Error(`no xychart chunk in ${dir}`);
  const { diagram } = (await import(pathToFileURL(path.join(dir, file)).href)) as {
    diagram: { parser: JisonParser; db: Record<string, unknown> };
  };
  return (text) => {
    const calls: [string, unknown[]][] = [];
    diagram.parser.yy = Object.fromEntries(
      Object.keys(diagram.db).map((k) => [k, (...args: unknown[]) => void calls.push([k, args])]),
    );
    diagram.parser.parse(text);
    return { calls };
  };
}

/** Every ```mermaid block in a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
}
