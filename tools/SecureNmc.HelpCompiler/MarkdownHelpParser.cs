using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace SecureNmc.HelpCompiler
{
    /// <summary>
    /// Reads one cmdlet help file in the PlatyPS markdown layout: "# Verb-Noun", then "## SYNOPSIS",
    /// "## SYNTAX", "## DESCRIPTION", "## EXAMPLES" ("### Example n: title" with fenced code and
    /// remarks), "## PARAMETERS" ("### -Name", description, a ```yaml block of facts),
    /// "## INPUTS", "## OUTPUTS", "## NOTES", "## RELATED LINKS". Missing essentials are errors
    /// with a line number, so a half-written help file fails the build instead of shipping.
    /// </summary>
    internal static class MarkdownHelpParser
    {
        private static readonly Regex CmdletName = new Regex(@"^[A-Z][A-Za-z]+-[A-Z][A-Za-z0-9]+$");
        private static readonly Regex InlineCode = new Regex(@"(?<!`)`([^`]+)`(?!`)");
        private static readonly Regex LinkLine = new Regex(@"^\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)\s*$");

        public static CmdletHelp ParseFile(string path) =>
            Parse(Path.GetFileName(path), File.ReadAllText(path));

        public static CmdletHelp Parse(string fileName, string markdown)
        {
            var lines = markdown.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            var help = new CmdletHelp { SourceFile = fileName };
            int start = SkipFrontMatter(lines);

            var blocks = SplitByHeading(lines, start, fileName);
            var title = blocks.FirstOrDefault(b => b.Level == 1)
                ?? throw new HelpFormatException(fileName, 1, "no '# Verb-Noun' title line.");
            help.Name = title.Heading;
            if (!CmdletName.IsMatch(help.Name))
                throw new HelpFormatException(fileName, title.Line, $"title '{help.Name}' is not a cmdlet name in Verb-Noun form.");
            var expectedFile = help.Name + ".md";
            if (!string.Equals(fileName, expectedFile, StringComparison.OrdinalIgnoreCase))
                throw new HelpFormatException(fileName, title.Line, $"the help for {help.Name} must live in a file named {expectedFile}.");

            string? section = null;
            HelpExample? example = null;
            HelpParameter? parameter = null;
            TypeHelp? typeHelp = null;
            foreach (var block in blocks.Where(b => b.Level > 1))
            {
                if (block.Level == 2)
                {
                    section = block.Heading.ToUpperInvariant();
                    example = null; parameter = null; typeHelp = null;
                    ReadSectionBody(help, section, block, fileName);
                    continue;
                }
                if (block.Level != 3 || section == null) continue;
                switch (section)
                {
                    case "SYNTAX":
                        var setName = block.Heading;
                        var isDefault = setName.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase);
                        if (isDefault) setName = setName.Substring(0, setName.Length - "(Default)".Length).Trim();
                        help.Syntax.Add(new SyntaxSet { Name = setName, IsDefault = isDefault });
                        break;
                    case "EXAMPLES":
                        example = new HelpExample { Title = block.Heading };
                        ReadExample(example, block);
                        if (example.Code.Count == 0)
                            throw new HelpFormatException(fileName, block.Line, $"example '{example.Title}' has no fenced code block.");
                        help.Examples.Add(example);
                        break;
                    case "PARAMETERS":
                        if (string.Equals(block.Heading, "CommonParameters", StringComparison.OrdinalIgnoreCase)) break;
                        if (!block.Heading.StartsWith("-", StringComparison.Ordinal))
                            throw new HelpFormatException(fileName, block.Line, $"parameter heading '{block.Heading}' must start with '-'.");
                        parameter = new HelpParameter { Name = block.Heading.Substring(1).Trim(), Line = block.Line };
                        ReadParameter(parameter, block, fileName);
                        help.Parameters.Add(parameter);
                        break;
                    case "INPUTS":
                    case "OUTPUTS":
                        typeHelp = new TypeHelp { TypeName = block.Heading };
                        typeHelp.Description.AddRange(Paragraphs(block.Body.Select(b => b.Text)));
                        (section == "INPUTS" ? help.Inputs : help.Outputs).Add(typeHelp);
                        break;
                }
            }

            Validate(help, title.Line);
            return help;
        }

        private static void ReadSectionBody(CmdletHelp help, string section, Block block, string fileName)
        {
            var text = block.Body.Select(b => b.Text).ToList();
            switch (section)
            {
                case "SYNOPSIS": help.Synopsis.AddRange(Paragraphs(text)); break;
                case "DESCRIPTION": help.Description.AddRange(Paragraphs(text)); break;
                case "NOTES": help.Notes.AddRange(Paragraphs(text)); break;
                case "RELATED LINKS":
                    foreach (var line in block.Body)
                    {
                        if (line.Text.Trim().Length == 0) continue;
                        var m = LinkLine.Match(line.Text.Trim());
                        if (!m.Success)
                            throw new HelpFormatException(fileName, line.Number, "a related link must look like [Text](uri) (the uri may be empty).");
                        help.Links.Add(new RelatedLink { Text = m.Groups["text"].Value, Uri = m.Groups["uri"].Value });
                    }
                    break;
            }
        }

        private static void ReadExample(HelpExample example, Block block)
        {
            var prose = new List<string>();
            foreach (var fence in Fences(block.Body))
            {
                if (fence.IsCode) example.Code.Add(string.Join("\n", fence.Lines).TrimEnd());
                else prose.AddRange(fence.Lines);
            }
            example.Remarks.AddRange(Paragraphs(prose));
        }

        private static void ReadParameter(HelpParameter parameter, Block block, string fileName)
        {
            var prose = new List<string>();
            bool sawYaml = false;
            foreach (var fence in Fences(block.Body))
            {
                if (!fence.IsCode) { prose.AddRange(fence.Lines); continue; }
                sawYaml = true;
                foreach (var raw in fence.Lines)
                {
                    var colon = raw.IndexOf(':');
                    if (colon <= 0) continue;
                    var key = raw.Substring(0, colon).Trim();
                    var value = raw.Substring(colon + 1).Trim();
                    switch (key)
                    {
                        case "Type": parameter.Type = value; break;
                        case "Parameter Sets": parameter.ParameterSets.AddRange(SplitList(value)); break;
                        case "Aliases": parameter.Aliases.AddRange(SplitList(value)); break;
                        case "Required": parameter.Required = IsTrue(value); break;
                        case "Position": parameter.Position = value.Length == 0 ? "named" : value.ToLowerInvariant() == "named" ? "named" : value; break;
                        case "Default value": parameter.DefaultValue = value.Length == 0 ? "None" : value; break;
                        case "Accept pipeline input": parameter.PipelineInput = value.Length == 0 ? "False" : value; break;
                        case "Accept wildcard characters": parameter.Globbing = IsTrue(value); break;
                    }
                }
            }
            parameter.Description.AddRange(Paragraphs(prose));
            if (!sawYaml)
                throw new HelpFormatException(fileName, block.Line, $"parameter -{parameter.Name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position...).");
            if (parameter.Type.Length == 0)
                throw new HelpFormatException(fileName, block.Line, $"parameter -{parameter.Name} has no 'Type:' in its yaml block.");
            if (parameter.Description.Count == 0)
                throw new HelpFormatException(fileName, block.Line, $"parameter -{parameter.Name} has no description.");
        }

        private static void Validate(CmdletHelp help, int titleLine)
        {
            var f = help.SourceFile;
            if (help.Synopsis.Count == 0) throw new HelpFormatException(f, titleLine, "the SYNOPSIS section is missing or empty.");
            if (help.Description.Count == 0) throw new HelpFormatException(f, titleLine, "the DESCRIPTION section is missing or empty.");
            if (help.Examples.Count == 0) throw new HelpFormatException(f, titleLine, "the EXAMPLES section has no '### Example' with code.");
            if (help.Syntax.Count == 0) throw new HelpFormatException(f, titleLine, "the SYNTAX section has no '### ParameterSetName' block.");
            var duplicate = help.Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
                throw new HelpFormatException(f, duplicate.Last().Line, $"parameter -{duplicate.Key} is documented twice.");
            var sets = new HashSet<string>(help.Syntax.Select(s => s.Name), StringComparer.Ordinal);
            foreach (var p in help.Parameters)
            {
                var unknown = p.ParameterSets.FirstOrDefault(s => s != "(All)" && !sets.Contains(s));
                if (unknown != null)
                    throw new HelpFormatException(f, p.Line, $"parameter -{p.Name} names parameter set '{unknown}', which has no '### {unknown}' block under SYNTAX.");
            }
        }

        private static int SkipFrontMatter(string[] lines)
        {
            if (lines.Length == 0 || lines[0].Trim() != "---") return 0;
            for (int i = 1; i < lines.Length; i++)
                if (lines[i].Trim() == "---") return i + 1;
            return 0;
        }

        private sealed class Line
        {
            public Line(int number, string text) { Number = number; Text = text; }
            public int Number { get; }
            public string Text { get; }
        }

        private sealed class Block
        {
            public int Level { get; set; }
            public string Heading { get; set; } = "";
            public int Line { get; set; }
            public List<Line> Body { get; } = new List<Line>();
        }

        private sealed class Fence
        {
            public bool IsCode { get; set; }
            public List<string> Lines { get; } = new List<string>();
        }

        /// <summary>Splits the file at headings, ignoring '#' lines inside fenced code (PowerShell comments).</summary>
        private static List<Block> SplitByHeading(string[] lines, int start, string fileName)
        {
            var blocks = new List<Block>();
            Block? current = null;
            bool inFence = false;
            for (int i = start; i < lines.Length; i++)
            {
                var text = lines[i];
                if (text.TrimStart().StartsWith("```", StringComparison.Ordinal)) inFence = !inFence;
                if (!inFence && text.StartsWith("#", StringComparison.Ordinal))
                {
                    int level = text.TakeWhile(c => c == '#').Count();
                    if (level <= 3 && text.Length > level && text[level] == ' ')
                    {
                        current = new Block { Level = level, Heading = text.Substring(level).Trim(), Line = i + 1 };
                        blocks.Add(current);
                        continue;
                    }
                }
                current?.Body.Add(new Line(i + 1, text));
            }
            if (inFence) throw new HelpFormatException(fileName, lines.Length, "a ``` code fence is never closed.");
            return blocks;
        }

        private static IEnumerable<Fence> Fences(IEnumerable<Line> body)
        {
            var current = new Fence();
            foreach (var line in body)
            {
                if (line.Text.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    yield return current;
                    current = new Fence { IsCode = !current.IsCode };
                    continue;
                }
                current.Lines.Add(line.Text);
            }
            yield return current;
        }

        /// <summary>Blank lines separate paragraphs; list items stay one paragraph each.</summary>
        internal static List<string> Paragraphs(IEnumerable<string> lines)
        {
            var result = new List<string>();
            var current = new List<string>();
            // Inline `code` reads as plain text at the console; the backticks would only be noise.
            void Flush()
            {
                if (current.Count > 0) result.Add(InlineCode.Replace(string.Join(" ", current), "$1"));
                current.Clear();
            }
            foreach (var raw in lines)
            {
                var line = raw.Trim();
                if (line.Length == 0) { Flush(); continue; }
                if (IsListItem(line)) Flush();
                current.Add(line);
            }
            Flush();
            return result;
        }

        private static bool IsListItem(string line) =>
            line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal) ||
            Regex.IsMatch(line, @"^\d+\. ");

        private static IEnumerable<string> SplitList(string value) =>
            value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0 && !string.Equals(s, "None", StringComparison.OrdinalIgnoreCase));

        private static bool IsTrue(string value) => value.StartsWith("True", StringComparison.OrdinalIgnoreCase);
    }
}
