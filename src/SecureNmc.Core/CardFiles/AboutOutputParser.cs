using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>
    /// Reads the CLI <c>about</c> output: "Label:&lt;tabs or spaces&gt;value" lines with hardware facts, then one
    /// block per firmware module ("Name:" then "Version:", "Date:", "Time:"). An optional "E000: Success"
    /// first line, an echoed prompt ("apc&gt;about"), block titles and dashed rules are tolerated.
    /// Throws <see cref="CardFileFormatException"/> when the card answered with an error code (E100-E102)
    /// or when no label line is present at all.
    /// </summary>
    public static class AboutOutputParser
    {
        private static readonly Regex CodeLine = CardText.Pattern(@"^\s*(E\d{3})\s*:\s*(.*)$");
        private static readonly Regex LabelLine = CardText.Pattern(@"^\s*([A-Za-z][A-Za-z0-9 ()/._-]{0,40}?)\s*:\s*(.*)$");
        private static readonly Regex ImageName = CardText.Pattern(@"^apc_(hw\d{2})_([a-z0-9]{1,12})_");

        public static AboutReport Parse(string text)
        {
            const CardFileKind kind = CardFileKind.AboutOutput;
            var lines = CardText.Lines(text, kind);
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var modules = new List<AboutModule>();
            AboutModule? module = null;
            string? title = null, responseCode = null;
            int labelCount = 0;

            for (int n = 0; n < lines.Count; n++)
            {
                var line = lines[n];
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.IndexOf('>') >= 0 && trimmed.IndexOf(':') < 0) continue; // blank or echoed prompt
                if (trimmed.Trim('-', '=', ' ').Length == 0) continue; // a rule under a title

                var code = CardText.Match(CodeLine, trimmed, kind);
                if (code.Success)
                {
                    responseCode = code.Groups[1].Value.ToUpperInvariant();
                    if (responseCode != "E000" && responseCode != "E001")
                        throw new CardFileFormatException(kind, $"the card answered {responseCode}: {code.Groups[2].Value.Trim()}", n + 1);
                    continue;
                }

                var m = CardText.Match(LabelLine, trimmed, kind);
                if (!m.Success)
                {
                    title = trimmed; // a block title such as "Application Module" or "APC OS(AOS)"
                    continue;
                }
                labelCount++;
                var label = m.Groups[1].Value.Trim();
                var value = m.Groups[2].Value.Trim();

                if (label.Equals("Name", StringComparison.OrdinalIgnoreCase))
                {
                    module = new AboutModule(value) { Title = title };
                    var image = CardText.Match(ImageName, value, kind);
                    if (image.Success)
                    {
                        module.HardwareCode = image.Groups[1].Value.ToLowerInvariant();
                        module.Name = image.Groups[2].Value.ToLowerInvariant();
                        if (module.Version == null) module.Version = CardText.FindVersion(value.Substring(image.Length), kind);
                    }
                    modules.Add(module);
                    continue;
                }
                if (module != null && label.Equals("Version", StringComparison.OrdinalIgnoreCase))
                {
                    module.Version = CardText.FindVersion(value, kind) ?? CardText.Clean(value);
                    continue;
                }
                if (module != null && label.Equals("Date", StringComparison.OrdinalIgnoreCase)) { module.Date = CardText.Clean(value); continue; }
                if (module != null && label.Equals("Time", StringComparison.OrdinalIgnoreCase)) { module.Time = CardText.Clean(value); continue; }
                if (!fields.ContainsKey(label)) fields[label] = value;
            }

            if (labelCount == 0)
                throw new CardFileFormatException(kind, "no 'Label: value' line: this is not the output of the 'about' command.");

            return new AboutReport(fields, modules)
            {
                ResponseCode = responseCode,
                Model = CardText.Clean(Get(fields, "Model Number", "Model")),
                SerialNumber = CardText.Clean(Get(fields, "Serial Number", "Serial")),
                HardwareRevision = CardText.Clean(Get(fields, "Hardware Revision", "HW Revision")),
                ManufactureDate = CardText.Clean(Get(fields, "Manufacture Date")),
                MacAddress = MacAddressText.Normalize(Get(fields, "MAC Address", "MAC")),
            };
        }

        private static string? Get(Dictionary<string, string> fields, params string[] labels)
        {
            foreach (var label in labels)
                if (fields.TryGetValue(label, out var value)) return value;
            return null;
        }
    }
}
