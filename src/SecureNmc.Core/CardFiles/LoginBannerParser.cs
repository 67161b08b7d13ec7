using System;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>Facts in the banner a card shows at login (SSH authentication banner, CLI header or FTP welcome).</summary>
    public sealed class LoginBannerInfo
    {
        public string? AosVersion { get; internal set; }
        public string? ApplicationName { get; internal set; }
        public string? ApplicationVersion { get; internal set; }
        public string? SystemName { get; internal set; }
        public string? SystemContact { get; internal set; }
        public string? SystemLocation { get; internal set; }

        /// <summary>"Super User", "Administrator", "Device"... when the banner shows the logged-in role.</summary>
        public string? UserRole { get; internal set; }
    }

    /// <summary>
    /// Reads a login banner: "Network Management Card AOS v2.5.0.8", "Smart-UPS APP v2.5.0.6" (often two
    /// columns per line, separated by runs of spaces) and "Name : ...", "Contact : ...", "Location : ...".
    /// </summary>
    public static class LoginBannerParser
    {
        private static readonly Regex AosPattern = CardText.Pattern(@"\bAOS\b\s*[:=]?\s*v?(\d{1,6}(?:\.\d{1,6}){0,3})");
        private static readonly Regex AppPattern = CardText.Pattern(@"(?:^|\s{2,})([A-Za-z][A-Za-z0-9 &/+.-]{0,60}?)\s+APP\b\s*[:=]?\s*v?(\d{1,6}(?:\.\d{1,6}){0,3})");
        private static readonly Regex FieldPattern = CardText.Pattern(@"(?:^|\s{2,})(Name|Contact|Location|User)\s*:\s*(.*?)(?=\s{2,}[A-Za-z][A-Za-z ]{0,12}:|$)");

        /// <summary>Throws <see cref="CardFileFormatException"/> when the text has no version and no Name/Contact/Location line.</summary>
        public static LoginBannerInfo Parse(string text)
        {
            var info = TryParse(text);
            if (info == null)
                throw new CardFileFormatException(CardFileKind.LoginBanner, "no AOS or application version and no Name/Contact/Location line: this is not an NMC login banner.");
            return info;
        }

        /// <summary>Null when nothing was recognised (a banner is optional, so callers usually prefer this).</summary>
        public static LoginBannerInfo? TryParse(string? text)
        {
            if (text == null) return null;
            try
            {
                return Scan(text);
            }
            catch (RegexMatchTimeoutException)
            {
                throw new CardFileFormatException(CardFileKind.LoginBanner, "a line could not be analysed in reasonable time.");
            }
        }

        private static LoginBannerInfo? Scan(string text)
        {
            const CardFileKind kind = CardFileKind.LoginBanner;
            var info = new LoginBannerInfo();
            bool any = false;
            foreach (var line in CardText.Lines(text, kind))
            {
                var aos = CardText.Match(AosPattern, line, kind);
                if (aos.Success && info.AosVersion == null) { info.AosVersion = aos.Groups[1].Value; any = true; }
                var app = CardText.Match(AppPattern, line, kind);
                if (app.Success && info.ApplicationVersion == null)
                {
                    info.ApplicationName = CardText.Clean(app.Groups[1].Value);
                    info.ApplicationVersion = app.Groups[2].Value;
                    any = true;
                }
                for (var m = CardText.Match(FieldPattern, line, kind); m.Success; m = m.NextMatch())
                {
                    var value = CardText.Clean(m.Groups[2].Value);
                    switch (m.Groups[1].Value.ToLowerInvariant())
                    {
                        case "name": info.SystemName ??= value; break;
                        case "contact": info.SystemContact ??= value; break;
                        case "location": info.SystemLocation ??= value; break;
                        case "user": info.UserRole ??= value; break;
                    }
                    any = true;
                }
            }
            return any ? info : null;
        }
    }
}
