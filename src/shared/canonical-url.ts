// One URL per story: the canonical form that storage keys on and selection merges by.
/** Strips tracking parameters, fragments, `www.` and trailing slashes so one story has one URL. */
export function canonicalizeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.hash = '';
    u.hostname = u.hostname.toLowerCase().replace(/^www\./, '');
    for (const key of [...u.searchParams.keys()]) {
      if (/^(utm_|fbclid$|gclid$|mc_|ref$|ref_src$|s$|cmpid$)/i.test(key)) u.searchParams.delete(key);
    }
    u.searchParams.sort();
    let s = `${u.protocol === 'http:' ? 'https:' : u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
    const q = u.searchParams.toString();
    if (q) s += `?${q}`;
    return s;
  } catch {
    return raw.trim();
  }
}
