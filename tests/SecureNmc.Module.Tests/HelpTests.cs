using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// Get-Help works for every cmdlet: the MAML file built from docs/cmdlets/*.md has a synopsis,
    /// a description, an example with code, and a description for every parameter the cmdlet has
    /// (and none for parameters it does not have).
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class HelpTests
    {
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private readonly BuiltModule _module;
        private readonly Dictionary<string, XElement> _help;

        public HelpTests(BuiltModule module)
        {
            _module = module;
            var doc = module.LoadHelp();
            Assert.Equal("helpItems", doc.Root!.Name.LocalName);
            _help = doc.Root.Elements(Command + "command")
                .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value, StringComparer.OrdinalIgnoreCase);
        }

        public static IEnumerable<object[]> CmdletNames()
        {
            using var module = new BuiltModule();
            return module.Cmdlets.Select(c => new object[] { c.Name }).ToList();
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Cmdlet_has_synopsis_description_and_an_example_with_code(string cmdletName)
        {
            Assert.True(_help.TryGetValue(cmdletName, out var help), $"{cmdletName} has no help: add docs/cmdlets/{cmdletName}.md.");
            Assert.False(string.IsNullOrWhiteSpace(Text(help!.Element(Command + "details")!.Element(Maml + "description"))), $"{cmdletName}: empty SYNOPSIS.");
            Assert.False(string.IsNullOrWhiteSpace(Text(help.Element(Maml + "description"))), $"{cmdletName}: empty DESCRIPTION.");
            var examples = help.Element(Command + "examples")?.Elements(Command + "example").ToList() ?? new List<XElement>();
            Assert.True(examples.Count > 0, $"{cmdletName}: no example.");
            Assert.All(examples, e => Assert.False(string.IsNullOrWhiteSpace(e.Element(Dev + "code")?.Value), $"{cmdletName}: an example has no code."));
            Assert.Contains(examples, e => e.Element(Dev + "code")!.Value.Contains(cmdletName, StringComparison.OrdinalIgnoreCase));
        }

        [Theory]
        [MemberData(nameof(CmdletNames))]
        public void Every_parameter_is_documented_and_only_real_parameters_are(string cmdletName)
        {
            Assert.True(_help.TryGetValue(cmdletName, out var help), $"{cmdletName} has no help.");
            var documented = help!.Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value, StringComparer.OrdinalIgnoreCase);
            var cmdlet = _module.Cmdlets.Single(c => c.Name == cmdletName);
            foreach (var p in cmdlet.Parameters)
            {
                Assert.True(documented.TryGetValue(p.Name, out var doc), $"{cmdletName} -{p.Name} is not documented.");
                Assert.False(string.IsNullOrWhiteSpace(Text(doc!.Element(Maml + "description"))), $"{cmdletName} -{p.Name} has an empty description.");
                // The help must say what the code does: type, mandatory, position, pipeline input.
                Assert.True(p.ShortTypeName == doc.Element(Dev + "type")!.Element(Maml + "name")!.Value,
                    $"{cmdletName} -{p.Name}: the help says type {doc.Element(Dev + "type")!.Element(Maml + "name")!.Value}, the cmdlet takes {p.ShortTypeName}.");
                Assert.True((doc.Attribute("required")!.Value == "true") == p.Mandatory, $"{cmdletName} -{p.Name}: 'Required' in the help is wrong.");
                Assert.True(doc.Attribute("position")!.Value == (p.Position?.ToString() ?? "named"),
                    $"{cmdletName} -{p.Name}: the help gives position {doc.Attribute("position")!.Value}, the cmdlet {(p.Position?.ToString() ?? "named")}.");
                var pipeline = doc.Attribute("pipelineInput")!.Value;
                Assert.True(pipeline.Contains("ByValue") == p.ValueFromPipeline && pipeline.Contains("ByPropertyName") == p.ValueFromPipelineByPropertyName,
                    $"{cmdletName} -{p.Name}: the help says pipeline input '{pipeline}', which does not match the cmdlet.");
                var aliases = doc.Attribute("aliases")?.Value ?? "none";
                foreach (var alias in p.Aliases)
                    Assert.True(aliases.Split(',').Select(a => a.Trim()).Contains(alias, StringComparer.OrdinalIgnoreCase),
                        $"{cmdletName} -{p.Name}: the help does not list alias {alias}.");
            }
            // -WhatIf and -Confirm are documented (as PlatyPS does) exactly when the cmdlet supports ShouldProcess.
            foreach (var name in new[] { "WhatIf", "Confirm" })
                Assert.True(documented.ContainsKey(name) == cmdlet.SupportsShouldProcess,
                    $"{cmdletName}: -{name} must be documented if and only if the cmdlet supports ShouldProcess.");
            foreach (var name in documented.Keys.Where(n => n != "WhatIf" && n != "Confirm"))
                Assert.True(cmdlet.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)),
                    $"{cmdletName}: the help documents -{name}, which the cmdlet does not have.");
        }

        [Fact]
        public void Help_covers_no_cmdlet_the_module_lacks()
        {
            foreach (var name in _help.Keys)
                Assert.Contains(_module.Cmdlets, c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
        }

        private static string Text(XElement? element) =>
            element == null ? "" : string.Join(" ", element.Elements(Maml + "para").Select(p => p.Value)).Trim();
    }
}
