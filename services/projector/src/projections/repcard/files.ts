/** The last path segment of a URL, decoded, without query string. */
export function fileNameFromUrl(url: string | null): string | null {
  if (!url) return null;
  const path = url.split(/[?#]/)[0] ?? '';
  const last = path.split('/').filter(Boolean).pop();
  if (!last) return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const IMAGE = /\.(png|jpe?g|gif|webp|heic|bmp|tiff?)$/i;
const DOCUMENT = /\.(pdf|docx?|xlsx?|csv|txt|rtf|pptx?)$/i;

/** `image`, `document` or `file`, by the file name's extension (null without a name). */
export function typeFromFileName(name: string | null): string | null {
  if (!name) return null;
  if (IMAGE.test(name)) return 'image';
  if (DOCUMENT.test(name)) return 'document';
  return 'file';
}
