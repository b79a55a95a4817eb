// The expression tree. Every node keeps the offset where it starts, for error messages.

export interface CallArgs {
  args: Node[];
  kwargs: Array<{ name: string; value: Node }>;
}

export type Node =
  | { type: "literal"; value: unknown; start: number }
  | { type: "name"; name: string; start: number }
  | { type: "list"; items: Node[]; start: number }
  | { type: "tuple"; items: Node[]; start: number }
  | { type: "dict"; entries: Array<{ key: Node; value: Node }>; start: number }
  | { type: "attr"; object: Node; name: string; start: number }
  | { type: "index"; object: Node; index: Node; start: number }
  | { type: "slice"; object: Node; lower?: Node; upper?: Node; step?: Node; start: number }
  | ({ type: "call"; callee: Node; start: number } & CallArgs)
  | ({ type: "filter"; input: Node; name: string; start: number } & CallArgs)
  | ({ type: "test"; input: Node; name: string; negated: boolean; start: number } & CallArgs)
  | { type: "unary"; op: "-" | "+" | "not"; operand: Node; start: number }
  | { type: "binary"; op: BinaryOp; left: Node; right: Node; start: number }
  | { type: "logical"; op: "and" | "or"; left: Node; right: Node; start: number }
  /** Chained comparisons: `a < b <= c`. */
  | { type: "compare"; first: Node; rest: Array<{ op: CompareOp; operand: Node }>; start: number }
  | { type: "conditional"; test: Node; then: Node; otherwise?: Node; start: number };

export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~";
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";
