/**
 * A small, honest strength hint for a passphrase (not a guarantee). Length dominates; variety helps;
 * very common choices are called out. Kept tiny so the popup stays small (no zxcvbn).
 */
export type Strength = { score: 0 | 1 | 2 | 3; label: string; hint: string };

const COMMON = ['password', 'passw0rd', '12345678', '123456789', 'qwertyui', 'iloveyou', 'letmein', 'welcome', 'admin', 'abc12345', 'securemed'];

export function passphraseStrength(passphrase: string): Strength {
  const p = passphrase;
  if (p.length === 0) return { score: 0, label: '', hint: 'At least 8 characters. A few unrelated words work well.' };
  if (p.length < 8) return { score: 0, label: 'Too short', hint: `Add ${8 - p.length} more character${8 - p.length === 1 ? '' : 's'}.` };
  const lower = p.toLowerCase();
  if (COMMON.some((c) => lower.includes(c)) || /^(.)\1+$/.test(p)) {
    return { score: 0, label: 'Too easy to guess', hint: 'Avoid common passwords and repeated characters.' };
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
  const words = p.trim().split(/[\s\-_.]+/).filter((w) => w.length >= 3).length;
  if (p.length >= 16 || (words >= 4 && p.length >= 14) || (p.length >= 12 && classes >= 3)) {
    return { score: 3, label: 'Strong', hint: 'Good. Keep it somewhere safe; it cannot be recovered.' };
  }
  if (p.length >= 10 || classes >= 3) return { score: 2, label: 'Fair', hint: 'Longer is stronger: add another word.' };
  return { score: 1, label: 'Weak', hint: 'Add more words or characters.' };
}
