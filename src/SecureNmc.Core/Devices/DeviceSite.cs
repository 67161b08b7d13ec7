namespace SecureNmc.Core.Devices
{
    /// <summary>Validation of a site name (<see cref="NmcDevice.Site"/>): a label, so one line of ordinary text.</summary>
    public static class DeviceSite
    {
        public const int MaxLength = 128;

        /// <summary>The trimmed site, or null when empty (no site); <paramref name="error"/> says why it is refused.</summary>
        public static string? Normalize(string? text, out string? error)
        {
            error = null;
            var site = text?.Trim() ?? "";
            if (site.Length == 0) return null;
            if (site.Length > MaxLength)
            {
                error = $"The site is {site.Length} characters long; at most {MaxLength} are allowed.";
                return null;
            }
            foreach (char c in site)
            {
                if (!char.IsControl(c)) continue;
                error = "The site contains a control character (tab, line break...).";
                return null;
            }
            return site;
        }
    }
}
