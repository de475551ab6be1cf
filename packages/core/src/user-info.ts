const scheme = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * `text` with everything before its last '@' (after a leading `scheme://`, kept) replaced by `****`: for a
 * URL too broken to parse, whose user-info may hold a password that no pattern recognises. Unchanged when
 * it has no '@'. `postgres://app:p@ss@db` → `postgres://****@db`.
 */
export function hideUserInfo(text: string): string {
  const at = text.lastIndexOf('@');
  return at < 0 ? text : `${scheme.exec(text)?.[0] ?? ''}****${text.slice(at)}`;
}
