// What a template refers to, read from Handlebars' AST once per compiled template: the top-level
// variable names (so only those are resolved) and every path by position (so a strict-mode error
// "baz not defined" can name the whole path `foo.bar.baz`).
import type Handlebars from "handlebars";
import { lazyRequire } from "../lazy-require.js";

export interface PathInfo {
  /** The path as written: `foo.bar.baz`. */
  original: string;
  /** The path names a helper call (`{{frob x}}`), not a value. */
  calledWithParams: boolean;
}

export interface TemplateInfo {
  names: Set<string>;
  /** Keyed by `line:column` (Handlebars' 1-based line, 0-based column). */
  paths: Map<string, PathInfo>;
}

const key = (loc: hbs.AST.SourceLocation): string => `${loc.start.line}:${loc.start.column}`;

const handlebarsPackage = lazyRequire<typeof Handlebars>("handlebars");

interface Collector {
  readonly info: TemplateInfo;
  accept(node: hbs.AST.Node): void;
}

let collectorClass: (new () => Collector) | undefined;

/** The collector extends Handlebars' Visitor, so it is defined when the first template is compiled. */
function defineCollector(): new () => Collector {
  collectorClass ??= class extends handlebarsPackage().Visitor {
    readonly info: TemplateInfo = { names: new Set(), paths: new Map() };

    override PathExpression(path: hbs.AST.PathExpression): void {
      const head = path.data ? (path.parts[0] === "root" ? path.parts[1] : undefined) : path.parts[0];
      if (head && head !== "this") this.info.names.add(head);
      if (!this.info.paths.has(key(path.loc))) this.info.paths.set(key(path.loc), { original: path.original, calledWithParams: false });
    }

    private callee(node: { path: hbs.AST.PathExpression | hbs.AST.Literal; params: unknown[]; hash?: hbs.AST.Hash }): void {
      if (node.path.type === "PathExpression" && (node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0)) {
        this.info.paths.set(key(node.path.loc), { original: (node.path as hbs.AST.PathExpression).original, calledWithParams: true });
      }
    }

    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      this.callee(node);
      super.MustacheStatement(node);
    }

    override SubExpression(node: hbs.AST.SubExpression): void {
      this.callee(node);
      super.SubExpression(node);
    }
  };
  return collectorClass;
}

export function templateInfo(ast: hbs.AST.Program): TemplateInfo {
  const collector = new (defineCollector())();
  collector.accept(ast);
  return collector.info;
}
