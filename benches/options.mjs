// What every bench script of `make bench` takes on its command line, and how the ones that own a
// section of benches/RESULTS.md write it (between its `<!-- bench:NAME:start/end -->` markers).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { defaultCorpusPath } from "./corpus.mjs";

/**
 * The options: `--quick` (a smoke run), `--corpus FILE`, `--out-dir DIR` (beside the corpus),
 * `--markdown FILE`, `--rounds N` (`rounds`, or `quickRounds` with --quick); `option(name,
 * fallback)` reads any other.
 */
export function benchOptions(args, { rounds, quickRounds }) {
  const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const quick = args.includes("--quick");
  const corpusPath = resolve(option("--corpus", defaultCorpusPath()));
  return {
    option,
    quick,
    corpusPath,
    outDir: resolve(option("--out-dir", dirname(corpusPath))),
    markdownPath: option("--markdown", null),
    rounds: Number(option("--rounds", quick ? quickRounds : rounds)),
  };
}

/** Writes `section` between the markers of `name` in the Markdown file, or adds it at its end. */
export function writeSection(markdownPath, name, section) {
  const START = `<!-- bench:${name}:start -->`;
  const END = `<!-- bench:${name}:end -->`;
  const text = existsSync(markdownPath) ? readFileSync(markdownPath, "utf8") : "";
  const at = text.indexOf(START);
  const end = text.indexOf(END);
  const block = `${START}\n${section}${END}\n`;
  const next = at >= 0 && end > at ? text.slice(0, at) + block + text.slice(end + END.length + 1) : `${text.trimEnd()}\n\n${block}`;
  writeFileSync(markdownPath, next);
  console.log(`wrote ${relative(process.cwd(), resolve(markdownPath))}`);
}
