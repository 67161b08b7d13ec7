using System;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// Recognises what a card means by the free text of a refusal: MFA, the single-session limit or a
    /// forced password change look alike at the code level (530 / 421) and differ only in wording.
    /// </summary>
    public static class FtpReplyMeaning
    {
        private static readonly string[] MultiFactorHints =
        {
            "multi-factor", "multifactor", "multi factor", "two-factor", "two factor", "2fa", "mfa",
            "one-time password", "one time password", "otp", "verification code", "authenticator",
        };

        private static readonly string[] SessionLimitHints =
        {
            "max logins exceeded", "maximum logins", "too many users", "too many connections", "too many sessions",
            "session limit", "maximum number of sessions", "maximum number of users", "already logged in",
        };

        private static readonly string[] PasswordChangeHints =
        {
            "password expired", "password has expired", "must change", "change your password", "change password",
            "new password required", "password change required",
        };

        /// <summary>The failure kind a refusal text points to, or <paramref name="fallback"/> when it names none.</summary>
        public static TransferFailureKind ClassifyRefusal(string text, TransferFailureKind fallback)
        {
            string lower = (text ?? "").ToLowerInvariant();
            if (ContainsWord(lower, MultiFactorHints)) return TransferFailureKind.MultiFactorRequired;
            if (ContainsWord(lower, SessionLimitHints)) return TransferFailureKind.SessionLimitReached;
            if (ContainsWord(lower, PasswordChangeHints)) return TransferFailureKind.PasswordChangeRequired;
            return fallback;
        }

        /// <summary>Short hints such as "mfa" or "otp" must stand alone, so "comfatal" does not count.</summary>
        private static bool ContainsWord(string text, string[] hints)
        {
            foreach (string hint in hints)
            {
                int at = text.IndexOf(hint, StringComparison.Ordinal);
                while (at >= 0)
                {
                    bool startOk = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                    int after = at + hint.Length;
                    bool endOk = after >= text.Length || !char.IsLetterOrDigit(text[after]);
                    if (startOk && endOk) return true;
                    at = text.IndexOf(hint, at + 1, StringComparison.Ordinal);
                }
            }
            return false;
        }
    }
}
