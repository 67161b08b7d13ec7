using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using SecureNmc.HelpCompiler;

namespace SecureNmc.Module.Tests
{
    /// <summary>The markdown-to-MAML compiler: what it reads, what it writes, what it refuses.</summary>
    public sealed class HelpCompilerTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private const string Sample = @"---
external help file: SecureNmc.PowerShell.dll-Help.xml
Module Name: SecureNmc
---

# Get-NmcThing

## SYNOPSIS
Gets things.

## SYNTAX

### ByName (Default)
```
Get-NmcThing [[-Name] <String[]>] [-Force]
```

### ById
```
Get-NmcThing -Id <Guid>
```

## DESCRIPTION
First paragraph
continues here.

Second paragraph.

## EXAMPLES

### Example 1: All things
```powershell
# a comment that is not a heading
Get-NmcThing
```

Lists every thing.

## PARAMETERS

### -Name
The names.

```yaml
Type: String[]
Parameter Sets: ByName
Aliases: ThingName, N

Required: False
Position: 0
Default value: None
Accept pipeline input: True (ByPropertyName)
Accept wildcard characters: True
```

### -Id
The id.

```yaml
Type: Guid
Parameter Sets: ById
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Forces.

```yaml
Type: SwitchParameter
Parameter Sets: (All)
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
This cmdlet supports the common parameters.

## INPUTS

### System.String

## OUTPUTS

### SecureNmc.Thing
A thing.

## NOTES
Be careful.

## RELATED LINKS

[Get-NmcOther](Get-NmcOther.md)
";

        [Fact]
        public void Parses_every_section_of_the_PlatyPS_layout()
        {
            var help = MarkdownHelpParser.Parse("Get-NmcThing.md", Sample);
            Assert.Equal("Get-NmcThing", help.Name);
            Assert.Equal(new[] { "Gets things." }, help.Synopsis);
            Assert.Equal(new[] { "First paragraph continues here.", "Second paragraph." }, help.Description);
            Assert.Equal(new[] { "ByName", "ById" }, help.Syntax.Select(s => s.Name));
            Assert.True(help.Syntax[0].IsDefault);
            var example = Assert.Single(help.Examples);
            Assert.Equal("Example 1: All things", example.Title);
            Assert.Equal("# a comment that is not a heading\nGet-NmcThing", Assert.Single(example.Code));
            Assert.Equal(new[] { "Lists every thing." }, example.Remarks);
            Assert.Equal(new[] { "Name", "Id", "Force" }, help.Parameters.Select(p => p.Name));
            var name = help.Parameters[0];
            Assert.Equal(("String[]", "0", true, "True (ByPropertyName)"), (name.Type, name.Position, name.Globbing, name.PipelineInput));
            Assert.Equal(new[] { "ThingName", "N" }, name.Aliases);
            Assert.True(help.Parameters[1].Required);
            Assert.Equal("System.String", Assert.Single(help.Inputs).TypeName);
            Assert.Equal("A thing.", Assert.Single(Assert.Single(help.Outputs).Description));
            Assert.Equal(new[] { "Be careful." }, help.Notes);
            Assert.Equal("Get-NmcOther", Assert.Single(help.Links).Text);
        }

        [Fact]
        public void Writes_MAML_that_Get_Help_reads()
        {
            var doc = MamlWriter.Write(new[] { MarkdownHelpParser.Parse("Get-NmcThing.md", Sample) });
            Assert.Equal(XName.Get("helpItems", "http://msh"), doc.Root!.Name);
            var command = Assert.Single(doc.Root.Elements(Command + "command"));
            var details = command.Element(Command + "details")!;
            Assert.Equal(("Get-NmcThing", "Get", "NmcThing"), (details.Element(Command + "name")!.Value, details.Element(Command + "verb")!.Value, details.Element(Command + "noun")!.Value));
            Assert.Equal("Gets things.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);

            var syntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
            Assert.Equal(2, syntax.Count);
            Assert.Equal(new[] { "Name", "Force" }, syntax[0].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            Assert.Equal(new[] { "Id", "Force" }, syntax[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
            // A switch shows no value placeholder in syntax.
            Assert.Null(syntax[0].Elements(Command + "parameter").Last().Element(Command + "parameterValue"));

            var name = command.Element(Command + "parameters")!.Elements(Command + "parameter").First();
            Assert.Equal("true", name.Attribute("globbing")!.Value);
            Assert.Equal("0", name.Attribute("position")!.Value);
            Assert.Equal("ThingName, N", name.Attribute("aliases")!.Value);
            Assert.Equal("True (ByPropertyName)", name.Attribute("pipelineInput")!.Value);

            var example = command.Element(Command + "examples")!.Element(Command + "example")!;
            Assert.Contains("Get-NmcThing", example.Element(Dev + "code")!.Value);
            Assert.Equal("Lists every thing.", example.Element(Dev + "remarks")!.Element(Maml + "para")!.Value);
        }

        [Fact]
        public void The_command_line_tool_fails_the_build_on_bad_help_and_writes_nothing()
        {
            var dir = Directory.CreateTempSubdirectory("securenmc-help-").FullName;
            try
            {
                var output = Path.Combine(dir, "out", "Help.xml");
                Assert.Equal(1, Program.Main(new[] { dir, output })); // no markdown at all
                File.WriteAllText(Path.Combine(dir, "Get-NmcThing.md"), Sample.Replace("## DESCRIPTION", "## NOTDESCRIPTION"));
                var errors = new StringWriter();
                var previous = Console.Error;
                Console.SetError(errors);
                try { Assert.Equal(1, Program.Main(new[] { dir, output })); }
                finally { Console.SetError(previous); }
                Assert.Contains("Get-NmcThing.md(", errors.ToString());
                Assert.Contains("DESCRIPTION", errors.ToString());
                Assert.False(File.Exists(output));

                File.WriteAllText(Path.Combine(dir, "Get-NmcThing.md"), Sample);
                Assert.Equal(0, Program.Main(new[] { dir, output }));
                Assert.Equal("helpItems", XDocument.Load(output).Root!.Name.LocalName);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Theory]
        [InlineData("## SYNOPSIS\nGets things.\n", "## SYNOPSIS\n\n", "SYNOPSIS")]
        [InlineData("```powershell\n# a comment that is not a heading\nGet-NmcThing\n```\n", "", "no fenced code block")]
        [InlineData("### -Id\nThe id.\n", "### -Id\n", "-Id has no description")]
        [InlineData("Parameter Sets: ById\n", "Parameter Sets: ByHost\n", "'ByHost'")]
        [InlineData("# Get-NmcThing\n", "# Get-NmcThings\n", "Get-NmcThing.md")]
        public void Refuses_incomplete_help_naming_file_line_and_problem(string find, string replace, string expected)
        {
            var broken = Sample.Replace(find, replace);
            Assert.NotEqual(Sample, broken);
            var ex = Assert.Throws<HelpFormatException>(() => MarkdownHelpParser.Parse("Get-NmcThing.md", broken));
            Assert.StartsWith("Get-NmcThing.md(", ex.Message);
            Assert.Contains(expected, ex.Message);
            Assert.True(ex.Line > 0);
        }
    }
}
