using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using SecureNmc.HelpCompiler;

namespace SecureNmc.Module.Tests
{
    /// <summary>Help details Get-Help is picky about: related-link addresses and the about_ topic layout.</summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class HelpLinkAndAboutTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

        private readonly BuiltModule _module;

        public HelpLinkAndAboutTests(BuiltModule module) => _module = module;

        private const string Markdown = @"# Get-NmcThing

## SYNOPSIS
Gets things.

## SYNTAX

### __AllParameterSets
```
Get-NmcThing
```

## DESCRIPTION
Gets them.

## EXAMPLES

### Example 1: All
```powershell
Get-NmcThing
```

## PARAMETERS

## INPUTS

## OUTPUTS

## NOTES

## RELATED LINKS

[Get-NmcOther](Get-NmcOther.md)
[Online docs](https://example.org/Get-NmcThing)
";

        [Fact]
        public void A_markdown_cross_reference_keeps_its_text_but_no_uri_and_a_web_address_is_kept()
        {
            var doc = MamlWriter.Write(new[] { MarkdownHelpParser.Parse("Get-NmcThing.md", Markdown) });
            var links = doc.Descendants(Maml + "navigationLink").ToList();
            Assert.Equal(new[] { "Get-NmcOther", "Online docs" }, links.Select(l => l.Element(Maml + "linkText")!.Value));
            Assert.Equal(new[] { "", "https://example.org/Get-NmcThing" }, links.Select(l => l.Element(Maml + "uri")!.Value));
        }

        /// <summary>
        /// Get-Help about_* takes the 5th line of the file as the topic's synopsis (HelpFileHelpInfo),
        /// so the file starts TOPIC / name / blank / SHORT DESCRIPTION / one complete sentence.
        /// </summary>
        [Fact]
        public void About_topic_has_the_layout_Get_Help_reads_its_synopsis_from()
        {
            var path = _module.PathOf(Path.Combine("en-US", "about_SecureNmc.help.txt"));
            Assert.True(File.Exists(path), $"{path} is missing: the build copies en-US/about_*.help.txt into the module.");
            var lines = File.ReadAllLines(path);
            Assert.True(lines.Length > 8, "about_SecureNmc is too short to be a help topic.");
            Assert.Equal("TOPIC", lines[0].Trim());
            Assert.Equal("about_SecureNmc", lines[1].Trim());
            Assert.Equal("", lines[2].Trim());
            Assert.Equal("SHORT DESCRIPTION", lines[3].Trim());
            var synopsis = lines[4].Trim();
            Assert.True(synopsis.Length > 0 && synopsis.EndsWith(".", StringComparison.Ordinal),
                $"line 5 ('{synopsis}') is what Get-Help shows as the synopsis: make it one complete sentence.");
            Assert.True(lines.Length < 6 || lines[5].Trim().Length == 0, "the short description must fit on line 5 alone; Get-Help cuts it after that line.");
            Assert.Contains(lines, l => l.Trim() == "LONG DESCRIPTION");
        }

        [Fact]
        public void About_topic_fits_an_80_column_console_and_is_plain_ascii()
        {
            var path = _module.PathOf(Path.Combine("en-US", "about_SecureNmc.help.txt"));
            var lines = File.ReadAllLines(path);
            for (int i = 0; i < lines.Length; i++)
            {
                Assert.True(lines[i].Length <= 80, $"about_SecureNmc line {i + 1} is {lines[i].Length} characters; Get-Help wraps it badly at 80 columns.");
                // Windows PowerShell 5.1 reads a help .txt without a BOM as the ANSI code page: non-ASCII turns to mojibake.
                Assert.True(lines[i].All(c => c < 128 && (c >= 32 || c == '\t')), $"about_SecureNmc line {i + 1} has a non-ASCII or control character.");
            }
        }
    }
}
