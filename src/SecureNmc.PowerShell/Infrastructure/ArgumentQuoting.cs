namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Quoting for completion text, so a completed name is one argument when PowerShell parses it.</summary>
    internal static class ArgumentQuoting
    {
        private static readonly char[] NeedsQuotes = { ' ', '\t', '\'', '"', '$', '`', ',', ';', '(', ')', '{', '}', '@', '#', '&', '|', '<', '>' };

        /// <summary>The text as is when safe; otherwise in single quotes with embedded quotes doubled.</summary>
        public static string Quote(string text) =>
            text.Length == 0 || text.IndexOfAny(NeedsQuotes) >= 0
                ? "'" + text.Replace("'", "''") + "'"
                : text;
    }
}
