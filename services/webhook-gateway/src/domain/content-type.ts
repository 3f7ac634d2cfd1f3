/**
 * Whether a Content-Type header announces JSON we read: `application/json`, optionally with a
 * `charset` parameter, which must then be UTF-8 (the signature covers bytes we decode as UTF-8).
 */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType = '', ...params] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') return false;
  return params.every((param) => {
    const [name, value = ''] = param.split('=').map((s) => s.trim());
    return name !== 'charset' || ['utf-8', 'utf8', '"utf-8"'].includes(value);
  });
}
