/**
 * HTML building blocks of the report: escaping, tables, chart figures and the page shell with its
 * inline stylesheet. The page has no script, no external stylesheet, font or image: it is one file that
 * any browser shows offline.
 */

const ESCAPES: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!)

/** Raw HTML (already escaped or built by these helpers). */
export interface Html {
  readonly html: string
}

export const raw = (html: string): Html => ({ html })

const cell = (c: string | number | Html): string => (typeof c === "object" ? c.html : escapeHtml(String(c)))

export const table = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string | number | Html>>, cls = ""): string =>
  `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>` +
  `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`

/** A rendered chart: `name` is the figure's data-chart attribute (the browser test looks for it). */
export const figure = (name: string, caption: string, svg: string): string =>
  `<figure class="chart" data-chart="${escapeHtml(name)}">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`

/** What a section says when it has nothing to show, and the command that would fill it. */
export const empty = (what: string, command?: string): string =>
  `<p class="empty">${escapeHtml(what)}${command ? `: run <code>${escapeHtml(command)}</code>` : ""}</p>`

export const section = (id: string, title: string, body: string): string =>
  `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${body}</section>`

export const code = (s: string): Html => raw(`<code>${escapeHtml(s)}</code>`)

const STYLE = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 2px 0; color: #555; font-size: 13px; }
nav { margin: 14px 0 0; font-size: 13px; }
nav a { margin-right: 14px; color: #1f5fa8; text-decoration: none; }
section { background: #fff; border: 1px solid #e2e4e8; border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
h2 { font-size: 19px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p { font-size: 14px; line-height: 1.45; }
p.note { color: #555; font-size: 13px; margin: 4px 0 10px; }
p.empty { color: #8a5300; background: #fff6e5; border: 1px solid #f3d9a4; border-radius: 6px; padding: 8px 12px; }
figure.chart { margin: 10px 0 14px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #666; margin-top: 4px; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid #e8e8e8; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: 600; }
td.num, table.numeric td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; background: #f2f4f7; padding: 1px 4px; border-radius: 3px; }
.fits { display: grid; grid-template-columns: repeat(auto-fill, minmax(430px, 1fr)); gap: 4px 24px; }
`

export const page = (title: string, headerHtml: string, navItems: ReadonlyArray<{ id: string; title: string }>, sections: ReadonlyArray<string>): string =>
  `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>${headerHtml}<nav>${navItems.map((n) => `<a href="#${escapeHtml(n.id)}">${escapeHtml(n.title)}</a>`).join("")}</nav></header>
${sections.join("\n")}
</main>
</body>
</html>
`
