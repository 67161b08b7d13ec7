namespace SecureNmc.Simulator
{
    /// <summary>
    /// Optional text arguments of the public simulator API. PowerShell converts <c>$null</c> to an empty
    /// string when it passes it to a .NET <c>string</c> parameter, so "" (or blanks) must mean "none",
    /// exactly as null does, for scripts to be able to say "no bootloader", "no e-mail", "no key".
    /// </summary>
    internal static class OptionalText
    {
        /// <summary>Null for null, "" or whitespace; otherwise the text trimmed.</summary>
        public static string? NoneIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
    }
}
