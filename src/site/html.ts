// Escaping for markup built as strings (text and attribute values), shared by the site's renderers.
export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
