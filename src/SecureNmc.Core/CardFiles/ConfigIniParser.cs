using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Reads a card's config.ini leniently: CRLF or LF, a BOM, spaces around '=', comment lines with
    /// ';' or '#', keys before any section, duplicate sections and lines it does not understand are
    /// all tolerated. Throws <see cref="CardFileFormatException"/> only when the text holds neither a
    /// section, a key nor a recognisable header (it is not a config.ini at all).
    /// </summary>
    public static class ConfigIniParser
    {
        private static readonly Regex AosLine = CardText.Pattern(@"\bAOS\b\s*[:=]?\s*v?(\d{1,6}(?:\.\d{1,6}){0,3})");
        private static readonly Regex AppLine = CardText.Pattern(@"^(.{1,80}?)\s+APP\b\s*[:=]?\s*v?(\d{1,6}(?:\.\d{1,6}){0,3})");
        private static readonly Regex GeneratedLine = CardText.Pattern(@"generated\s+on\s+(.{1,60}?)(?:\s+by\s+(.{1,80}))?$");

        public static ConfigIniDocument Parse(byte[] content) => Parse(CardText.Decode(content));

        public static ConfigIniDocument Parse(string text)
        {
            const CardFileKind kind = CardFileKind.ConfigIni;
            var lines = CardText.Lines(text, kind);
            var header = new List<string>();
            var sections = new List<ConfigIniSection>();
            ConfigIniSection? current = null;
            int keyCount = 0;
            string? aos = null, appName = null, appVersion = null, generatedOn = null, generatedBy = null;

            foreach (var raw in lines)
            {
                var line = raw.Trim();
                if (line.Length == 0) continue;
                if (line[0] == ';' || line[0] == '#')
                {
                    if (sections.Count > 0 || keyCount > 0) continue; // comments inside the body carry no facts
                    var comment = line.Substring(1).Trim();
                    header.Add(comment);
                    var aosMatch = CardText.Match(AosLine, comment, kind);
                    if (aosMatch.Success && aos == null)
                    {
                        aos = aosMatch.Groups[1].Value;
                        continue;
                    }
                    var appMatch = CardText.Match(AppLine, comment, kind);
                    if (appMatch.Success && appVersion == null)
                    {
                        appName = CardText.Clean(appMatch.Groups[1].Value);
                        appVersion = appMatch.Groups[2].Value;
                        continue;
                    }
                    var genMatch = CardText.Match(GeneratedLine, comment, kind);
                    if (genMatch.Success)
                    {
                        generatedOn = CardText.Clean(genMatch.Groups[1].Value);
                        generatedBy = CardText.Clean(genMatch.Groups[2].Value);
                    }
                    continue;
                }
                if (line[0] == '[')
                {
                    int close = line.IndexOf(']');
                    var name = (close > 0 ? line.Substring(1, close - 1) : line.Substring(1)).Trim();
                    current = new ConfigIniSection(name);
                    sections.Add(current);
                    continue;
                }
                int eq = line.IndexOf('=');
                if (eq <= 0) continue; // not a key line: tolerated, ignored
                var key = line.Substring(0, eq).Trim();
                var value = line.Substring(eq + 1).Trim();
                if (current == null)
                {
                    current = new ConfigIniSection("");
                    sections.Add(current);
                }
                current.Add(key, value);
                keyCount++;
            }

            if (sections.Count == 0 && aos == null && appVersion == null)
                throw new CardFileFormatException(kind, "no [section], no key=value line and no version header: this is not a card configuration file.");

            return new ConfigIniDocument(header, sections)
            {
                AosVersion = aos,
                ApplicationName = appName,
                ApplicationVersion = appVersion,
                GeneratedOn = generatedOn,
                GeneratedBy = generatedBy,
            };
        }
    }
}
