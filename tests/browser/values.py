"""Figures that a page breaks across two lines: "42 000" at the end of one line, "€" at the start
of the next. `formatting` joins the parts of an amount, a percentage or a count ("120 mois")
with no-break spaces (U+202F, U+00A0); this finds, in the page as the browser laid it out, every
such figure whose characters sit on more than one line (a CSS rule that let the browser break
anywhere did it).
A plain space inside a figure ends it here: tests/formatting checks that there is none."""

from __future__ import annotations

# A figure as `formatting` writes it: digits grouped by no-break spaces, commas or points, with
# "€" or "%" before or after, or a word joined to it by a no-break space; a sign only where no
# figure or word comes before it (the "-" of a range, "0-1", is a place to break). Each is laid
# out as a DOM Range, whose client rectangles are one per line it occupies.
SPLIT_FIGURES = r"""(root) => {
  const sign = String.raw`(?:€|(?<![\p{L}\p{N}])[−+-])?`;
  const digits = String.raw`\d(?:[\d.,]|[\u202f\u00a0](?=[\d€%\p{L}]))*`;
  const figure = new RegExp(sign + digits + String.raw`\p{L}*[€%]?`, "gu");
  const split = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(figure)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom))
      );
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


def figures_split_across_lines(tab, selector: str = "main") -> list[str]:
    """The figures under `selector` that the browser laid out on more than one line
    (with their no-break spaces as plain ones, for a readable failure message)."""
    split = tab.locator(selector).evaluate(SPLIT_FIGURES)
    return [text.replace("\u202f", " ").replace("\u00a0", " ") for text in split]
