// What a server answer means for the page: a session that ended, a failure to tell, each
// row's findings from the public check; the CSRF token to send.

// A request of the page's script, answered: "ok", "session-ended" (the admin sends a request
// without a session to its sign-in page, which fetch follows, or answers 401/403), or
// "failed" (anything else: the page must say so, never go quiet).
export function answerKind(answer, loginPath) {
  const toSignIn = Boolean(answer.redirected) && new URL(answer.url).pathname === loginPath;
  if (toSignIn || answer.status === 401 || answer.status === 403) {
    return "session-ended";
  }
  return answer.status >= 200 && answer.status < 300 ? "ok" : "failed";
}

// The CSRF token from the cookie (new after signing in again), else the form's own one.
export function currentCsrfToken(cookieString, cookieName, fallback) {
  const prefix = `${cookieName}=`;
  const cookie = cookieString.split("; ").find((part) => part.startsWith(prefix));
  return cookie ? decodeURIComponent(cookie.slice(prefix.length)) : fallback;
}

// The public check's answer (`POST /api/v1/prescriptions/check/`: errors by `attr`
// "items.N.field", warnings by `item` N) as each row's findings, in screen order.
// `sentRows[N]` is the row of item N: rows without an exercise are not sent.
export function rowFindings(answer, sentRows, rowCount) {
  const rows = Array.from({ length: rowCount }, () => ({ warnings: [], errors: [] }));
  for (const error of answer.errors) {
    const [scope, item, ...field] = error.attr.split(".");
    const row = scope === "items" ? sentRows[Number(item)] : undefined;
    if (row !== undefined) {
      rows[row].errors.push({ field: field.join("."), message: error.detail, code: error.code });
    }
  }
  for (const warning of answer.warnings) {
    const row = warning.item === null ? undefined : sentRows[warning.item];
    if (row !== undefined) {
      rows[row].warnings.push(warning);
    }
  }
  return rows;
}
