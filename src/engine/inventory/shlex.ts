// Python's `shlex.split(line, comments=True)` (POSIX mode), which Ansible uses to split INI host
// lines. Ported rather than approximated because quoting decides which values get typed.

const WHITESPACE = " \t\r\n";
const QUOTES = "'\"";
const ESCAPE = "\\";
const ESCAPED_QUOTES = '"';
const COMMENTERS = "#";

export class ShlexError extends Error {}

export function shlexSplit(text: string): string[] {
  const tokens: string[] = [];
  let token = "";
  let quoted = false;
  // " " between tokens, "a" inside a word, a quote char inside quotes, "\\" after an escape.
  let state = " ";
  let escapedState = " ";

  const finish = (): void => {
    if (token !== "" || quoted) tokens.push(token);
    token = "";
    quoted = false;
  };

  for (let i = 0; i <= text.length; i++) {
    const ch = i < text.length ? text[i] : "";
    if (state === " " || state === "a") {
      if (ch === "") break;
      if (WHITESPACE.includes(ch)) {
        if (state === "a" || token !== "" || quoted) finish();
        state = " ";
      } else if (COMMENTERS.includes(ch)) {
        // A comment runs to the end of the line; with one line of input that is the end.
        const nl = text.indexOf("\n", i);
        if (state === "a") finish();
        state = " ";
        if (nl < 0) break;
        i = nl;
      } else if (QUOTES.includes(ch)) {
        state = ch;
      } else if (ESCAPE.includes(ch)) {
        escapedState = "a";
        state = ch;
      } else {
        token += ch;
        state = "a";
      }
    } else if (QUOTES.includes(state)) {
      quoted = true;
      if (ch === "") throw new ShlexError("No closing quotation");
      if (ch === state) state = "a";
      else if (ESCAPE.includes(ch) && ESCAPED_QUOTES.includes(state)) {
        escapedState = state;
        state = ch;
      } else token += ch;
    } else {
      // After a backslash.
      if (ch === "") throw new ShlexError("No escaped character");
      if (QUOTES.includes(escapedState) && ch !== state && ch !== escapedState) token += state;
      token += ch;
      state = escapedState;
    }
  }
  if (state === "a" || token !== "" || quoted) finish();
  return tokens;
}
