using System.Text.RegularExpressions;

namespace SecureNmc.Core.Ssh.Auth
{
    /// <summary>
    /// Recognises what a server means by the free text it sends during login (banners, failure
    /// texts, keyboard-interactive prompts): cards phrase these in prose, not in protocol codes.
    /// </summary>
    internal static class SshAuthText
    {
        private static readonly Regex PasswordChange = new Regex(
            @"current password|new password|old password|change (your |the )?password|password change|password (has )?expired|must be changed",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex MultiFactor = new Regex(
            @"\bMFA\b|multi-?factor|two-?factor|\b2FA\b|verification code|one-?time (pass)?code|one-?time password|\bOTP\b|authenticator",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex SessionLimit = new Regex(
            @"max(imum)? logins exceeded|too many (sessions|logins|users)",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        private static readonly Regex PasswordPrompt = new Regex(@"pass(word|phrase)?\s*:?\s*$|password", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static bool MeansPasswordChange(string? text) => !string.IsNullOrEmpty(text) && PasswordChange.IsMatch(text);
        public static bool MeansMultiFactor(string? text) => !string.IsNullOrEmpty(text) && MultiFactor.IsMatch(text);
        public static bool MeansSessionLimit(string? text) => !string.IsNullOrEmpty(text) && SessionLimit.IsMatch(text);
        public static bool IsPasswordPrompt(string? text) => !string.IsNullOrEmpty(text) && PasswordPrompt.IsMatch(text);
    }
}
