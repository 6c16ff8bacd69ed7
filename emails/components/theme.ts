// One palette and type scale for every mail and both engines; dark-mode overrides hang off the wr-* classes.

export const colors = {
  page: '#f2efe9',
  paper: '#ffffff',
  ink: '#17181c',
  body: '#33363d',
  muted: '#6b6f78',
  rule: '#e7e2d8',
  accent: '#c2410c',
  chipBg: '#fdede3',
  chipInk: '#9a3412',
  buttonInk: '#ffffff',
} as const;

export const darkColors = {
  page: '#0f1114',
  paper: '#181b21',
  ink: '#eef0f3',
  muted: '#a3a9b4',
  rule: '#2b3039',
  accent: '#ff9466',
  chipBg: '#3a2418',
  chipInk: '#ffb38c',
} as const;

// CJK and emoji fall back per glyph; the system stacks come first so Latin text keeps its look.
// Names are unquoted (valid CSS for multi-word names): React escapes every quote to 6 bytes, in every style.
// The sans stack is set on table cells only (children inherit, Outlook included); the serif one where used.
export const fonts = {
  sans: '-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica,Arial,PingFang SC,Hiragino Sans GB,Microsoft YaHei,Noto Sans CJK SC,sans-serif,Apple Color Emoji,Segoe UI Emoji,Noto Color Emoji',
  serif: 'Georgia,Times New Roman,Songti SC,Noto Serif CJK SC,serif',
} as const;

export const layout = {
  width: 600,
  gutter: 32,
} as const;

/** Inline styles for the editor's Markdown intro (mail clients ignore most <style> rules). */
export const introStyle = {
  paragraph: `margin:0 0 14px;font-size:16px;line-height:1.6;color:${colors.body}`,
  link: `color:${colors.accent};text-decoration:underline`,
  list: `margin:0 0 14px;padding-left:22px;font-size:16px;line-height:1.6;color:${colors.body}`,
  listItem: 'margin:0 0 6px',
  blockquote: `margin:0 0 14px;padding:2px 0 2px 14px;border-left:3px solid ${colors.rule};color:${colors.muted};font-style:italic`,
};

/**
 * Head CSS: dark mode for clients that honour prefers-color-scheme (Apple Mail, iOS, Outlook for Mac),
 * Outlook.com's [data-ogsc] dark mode, and the narrow-screen tweaks. Everything else is inline.
 */
export const headCss = `
:root{color-scheme:light dark;supported-color-schemes:light dark}
body{margin:0;padding:0;-webkit-text-size-adjust:100%;text-size-adjust:100%}
.wr-link{color:${colors.accent}}
@media (max-width:620px){
.wr-pad{padding-left:20px!important;padding-right:20px!important}
.wr-brand{font-size:28px!important}
.wr-title{font-size:18px!important}
.wr-num{width:34px!important;font-size:18px!important}
.wr-img{max-width:100%!important}
}
@media (prefers-color-scheme:dark){
.wr-bg{background-color:${darkColors.page}!important}
.wr-paper{background-color:${darkColors.paper}!important}
.wr-ink{color:${darkColors.ink}!important}
.wr-muted{color:${darkColors.muted}!important}
.wr-link,.wr-accent{color:${darkColors.accent}!important}
.wr-rule{border-color:${darkColors.rule}!important}
.wr-topbar{border-top-color:${darkColors.accent}!important}
.wr-chip{background-color:${darkColors.chipBg}!important;color:${darkColors.chipInk}!important}
.wr-button{background-color:${darkColors.accent}!important;color:${darkColors.page}!important}
}
[data-ogsc] .wr-ink{color:${darkColors.ink}!important}
[data-ogsc] .wr-muted{color:${darkColors.muted}!important}
[data-ogsc] .wr-link,[data-ogsc] .wr-accent{color:${darkColors.accent}!important}
[data-ogsb] .wr-bg{background-color:${darkColors.page}!important}
[data-ogsb] .wr-paper{background-color:${darkColors.paper}!important}
`
  .trim()
  .replace(/\n/g, '');
