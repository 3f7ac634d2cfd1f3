/** RepCard's response shapes. */

export function listEnvelope(message: string, data: unknown[], total: number, page: number, perPage: number) {
  return {
    status: 1,
    statusCode: 200,
    message,
    result: {
      data,
      totalCount: total,
      currentPage: page,
      totalPages: Math.max(1, Math.ceil(total / perPage)),
    },
  };
}

export function itemEnvelope(message: string, item: unknown) {
  return { status: 1, statusCode: 200, message, result: item };
}

export function errorBody(statusCode: number, message: string) {
  return { status: 0, statusCode, message, result: {} };
}

export const UNAUTHORIZED_MESSAGE = 'You are not authorized to access the API.';
export const TOO_MANY_MESSAGE = 'Too Many Attempts.';

/** The bare Laravel paginator of per-customer sub-resources (`/customers/{id}/attachments`). */
export function laravelPage(data: unknown[], total: number, page: number, perPage: number, path: string) {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  return {
    current_page: page,
    data,
    last_page: lastPage,
    next_page_url: page < lastPage ? `${path}?page=${page + 1}` : null,
    per_page: perPage,
    total,
  };
}

/** What a gateway in front of the API answers for 502/503: HTML, not JSON. */
export function proxyPage(status: 502 | 503): string {
  const title = status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}
