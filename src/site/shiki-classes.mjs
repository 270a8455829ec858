// Shiki transformer: the token colours of the two themes (github-light-default / github-dark-default)
// as short classes (components/styles/site.css) instead of a 50-byte style on every token; a token in
// the block's own colour gets nothing (it inherits the <pre>'s). Pairs not listed keep their style.
// The regression chapter's code was ~55 KB of these styles.
export const TOKEN_CLASSES = {
  '#0550AE/#79C0FF': 'tc', // constants, numbers
  '#CF222E/#FF7B72': 'tk', // keywords
  '#8250DF/#D2A8FF': 'tf', // functions
  '#0A3069/#A5D6FF': 'ts', // strings
  '#6E7781/#8B949E': 'tm', // comments
  '#953800/#FFA657': 'tv', // variables, parameters
};
const PAIR = /--shiki-light:(#[0-9A-Fa-f]{6});--shiki-dark:(#[0-9A-Fa-f]{6})/;
const pairOf = (style) => { const m = typeof style === 'string' && style.match(PAIR); return m ? `${m[1]}/${m[2]}`.toUpperCase() : null; };

export const tokenClasses = {
  name: 'mergeable:token-classes',
  pre(pre) {
    const own = pairOf(pre.properties.style);
    const walk = (node) => {
      for (const c of node.children ?? []) {
        if (c.type !== 'element') continue;
        const pair = c.tagName === 'span' && /^--shiki-light:#\w+;--shiki-dark:#\w+$/.test(String(c.properties.style ?? '')) ? pairOf(c.properties.style) : null;
        if (pair && pair === own) delete c.properties.style;
        else if (pair && TOKEN_CLASSES[pair]) { delete c.properties.style; this.addClassToHast(c, TOKEN_CLASSES[pair]); }
        walk(c);
      }
    };
    walk(pre);
  },
};
