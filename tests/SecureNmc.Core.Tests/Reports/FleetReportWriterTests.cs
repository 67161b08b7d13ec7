using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SecureNmc.Core.Json;
using SecureNmc.Core.Reports;

namespace SecureNmc.Core.Tests.Reports
{
    public class FleetReportWriterTests
    {
        private static string Html() => FleetReportHtmlWriter.Write(new ReportFixture().Build());

        [Fact]
        public void Html_escapes_hostile_device_names_and_errors()
        {
            var html = Html();
            Assert.DoesNotContain(ReportFixture.ScriptName, html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain(ReportFixture.AttributeBreakName, html);
            Assert.DoesNotContain("<b>twice</b>", html);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
            Assert.Contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;", html);
            // The one script element is the page's own self-check.
            Assert.Equal(1, Regex.Matches(html, "<script", RegexOptions.IgnoreCase).Count);
        }

        [Fact]
        public void Html_is_self_contained_and_locked_down_by_a_content_security_policy()
        {
            var html = Html();
            // The only URL is the SVG namespace name (an identifier, never fetched).
            var urls = Regex.Matches(html, "(https?:|//[a-z])[^\"'\\s<)]*", RegexOptions.IgnoreCase).Select(m => m.Value).Distinct().ToList();
            Assert.Equal(new[] { "http://www.w3.org/2000/svg" }, urls);
            Assert.DoesNotContain("src=\"", html.Replace("src=x", ""));
            Assert.DoesNotContain("@import", html);
            Assert.DoesNotContain("url(", html);
            Assert.Matches("Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+'", html);
            Assert.Contains("prefers-color-scheme:dark", html);
            Assert.Contains("@media print", html);
        }

        [Fact]
        public void Every_chart_is_well_formed_svg()
        {
            var html = Html();
            var charts = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();
            Assert.Equal(7, charts.Count); // status, type, firmware, latest, subscriptions, expiry, progress
            foreach (var svg in charts)
            {
                var doc = XDocument.Parse(svg);
                Assert.Equal("{http://www.w3.org/2000/svg}svg", doc.Root!.Name.ToString());
                Assert.NotNull(doc.Root.Element(XName.Get("title", "http://www.w3.org/2000/svg")));
            }
            var timeline = XDocument.Parse(charts.Single(c => c.Contains("id=\"chart-expiry\"")));
            Assert.Contains(timeline.Descendants(), e => (string?)e.Attribute("class") == "warning-window");
            Assert.Contains(timeline.Descendants(), e => ((string?)e.Attribute("class") ?? "").Contains("tone-bad")); // the expired card
            Assert.Contains(timeline.Descendants(), e => e.Value == ReportFixture.ScriptName); // a hostile label is text, not markup
        }

        [Fact]
        public void Svg_stays_well_formed_with_characters_xml_forbids()
        {
            var svg = BarChart.Render("c", "t\u0001", new[] { new ReportCount("bad\u0002name & <x> \"'\uD800", 2) });
            var doc = XDocument.Parse(svg);
            Assert.Contains("bad\uFFFDname & <x> \"'\uFFFD", doc.Root!.Value);
        }

        [Fact]
        public void Html_highlights_expired_and_expiring_subscriptions_and_failed_cards()
        {
            var html = Html();
            Assert.Equal(1, Regex.Matches(html, "<tr class=\"row-warn\">").Count);
            // Expired subscription row and the failed card's row in the run table.
            Assert.Equal(2, Regex.Matches(html, "<tr class=\"row-bad\">").Count);
        }

        [Fact]
        public void Csv_neutralises_formula_cells()
        {
            var writer = new StringWriter();
            FleetReportCsvWriter.Write(writer, new ReportFixture().Build());
            var csv = writer.ToString();
            // No cell (quoted or not) starts with a formula trigger: each got a leading apostrophe.
            Assert.DoesNotMatch("(^|,|\\n)\"?[=+\\-@]", csv);
            var lines = csv.Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(string.Join(",", FleetReportCsvWriter.Columns), lines[0]);
            Assert.Equal(7, lines.Length);
            Assert.StartsWith("'=cmd|' /C calc'!A0,", lines.Single(l => l.Contains("calc")));
            Assert.Contains(",'-32,", lines.Single(l => l.Contains("calc"))); // a negative days-left is text too
        }

        [Fact]
        public void Json_parses_and_holds_the_same_counts()
        {
            var report = new ReportFixture().Build();
            var json = JsonReader.ParseObject(FleetReportJsonWriter.Write(report));
            Assert.Equal(FleetReportJsonWriter.FormatName, json.GetString("format"));
            var summary = json.GetObject("summary");
            Assert.Equal("6", ((JsonNumber)summary.Members.Single(m => m.Key == "cards").Value).Text);
            Assert.Equal(6, json.GetArray("cards").Items.Count);
            Assert.Equal(3, json.GetObject("lastRun").GetArray("progress").Items.Count);
            Assert.Equal(5, json.GetArray("actions").Items.Count);
        }

        [Theory]
        [InlineData(ReportFormat.Html)]
        [InlineData(ReportFormat.Csv)]
        [InlineData(ReportFormat.Json)]
        public void No_format_holds_a_credential_or_a_whole_activation_id(ReportFormat format)
        {
            var folder = Path.Combine(Path.GetTempPath(), "snmc-report-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var path = Path.Combine(folder, "report." + format.ToString().ToLowerInvariant());
                var result = FleetReportExporter.WriteFile(path, format, new ReportFixture().Build(), force: false);
                var text = File.ReadAllText(path);
                Assert.Equal(new FileInfo(path).Length, result.Length);
                Assert.Equal(6, result.Devices);
                Assert.DoesNotContain(ReportFixture.UserName, text);
                Assert.DoesNotContain(ReportFixture.ProtectedPassword, text);
                Assert.DoesNotContain("SECRETSECRET", text);
                Assert.DoesNotContain(ReportFixture.ActivationId, text);
                Assert.Contains("7F3A", text);
            }
            finally { Directory.Delete(folder, true); }
        }

        [Fact]
        public void An_existing_file_is_kept_unless_forced()
        {
            var folder = Path.Combine(Path.GetTempPath(), "snmc-report-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                var path = Path.Combine(folder, "fleet.html");
                File.WriteAllText(path, "old");
                var e = Assert.Throws<SecureNmc.Core.DataExchange.DataExchangeException>(() => FleetReportExporter.WriteFile(path, ReportFormat.Html, new ReportFixture().Build(), force: false));
                Assert.Contains("fleet.html", e.Message);
                Assert.Equal("old", File.ReadAllText(path));
                FleetReportExporter.WriteFile(path, ReportFormat.Html, new ReportFixture().Build(), force: true);
                Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(path));
                Assert.Single(Directory.GetFiles(folder)); // no temporary file left behind
            }
            finally { Directory.Delete(folder, true); }
        }
    }
}
