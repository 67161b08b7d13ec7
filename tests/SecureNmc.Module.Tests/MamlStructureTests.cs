using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// The MAML file is shaped the way Get-Help (PowerShell's CommandHelpProvider and MamlNode)
    /// and PlatyPS-built help are: a helpItems root in the msh namespace with schema="maml", one
    /// command:command per exported cmdlet carrying the maml/command/dev namespaces, and inside it
    /// the elements Get-Help reads by name. PowerShell does not validate the file; a wrong shape
    /// shows as a help page without synopsis, parameters or examples, so these tests do.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class MamlStructureTests
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

        private static readonly Regex PipelineInput = new Regex(@"^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$");

        private readonly BuiltModule _module;
        private readonly string _path;

        public MamlStructureTests(BuiltModule module)
        {
            _module = module;
            _path = module.PathOf(Path.Combine("en-US", "SecureNmc.PowerShell.dll-Help.xml"));
        }

        [Fact]
        public void Help_file_is_well_formed_utf8_with_a_matching_declaration()
        {
            var bytes = File.ReadAllBytes(_path);
            // Strict decoding: an invalid byte sequence throws instead of becoming U+FFFD.
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text.TrimStart('\uFEFF'));
            // PowerShell loads help with DTD processing prohibited; a DOCTYPE would make Get-Help skip the file.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit };
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            while (reader.Read()) { }
        }

        [Fact]
        public void Root_is_helpItems_in_the_msh_namespace_with_schema_maml_holding_only_commands()
        {
            var doc = _module.LoadHelp();
            Assert.Equal(Msh + "helpItems", doc.Root!.Name);
            Assert.Equal("maml", doc.Root.Attribute("schema")?.Value);
            Assert.All(doc.Root.Elements(), e => Assert.Equal(Command + "command", e.Name));
        }

        [Fact]
        public void One_command_element_per_exported_cmdlet()
        {
            var names = Commands().Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            var exported = _module.Manifest.List("CmdletsToExport")!;
            Assert.Equal(exported.OrderBy(n => n, StringComparer.OrdinalIgnoreCase), names.OrderBy(n => n, StringComparer.OrdinalIgnoreCase));
        }

        [Fact]
        public void Every_command_declares_the_maml_command_and_dev_prefixes_as_PlatyPS_does()
        {
            foreach (var command in Commands())
            {
                Assert.Equal(Maml.NamespaceName, command.GetNamespaceOfPrefix("maml")?.NamespaceName);
                Assert.Equal(Command.NamespaceName, command.GetNamespaceOfPrefix("command")?.NamespaceName);
                Assert.Equal(Dev.NamespaceName, command.GetNamespaceOfPrefix("dev")?.NamespaceName);
            }
        }

        [Fact]
        public void Details_name_verb_noun_and_synopsis_agree()
        {
            foreach (var command in Commands())
            {
                var details = Required(command, Command + "details", "command");
                var name = Required(details, Command + "name", "details").Value;
                var verb = Required(details, Command + "verb", name).Value;
                var noun = Required(details, Command + "noun", name).Value;
                Assert.Equal(name, verb + "-" + noun);
                Assert.NotEmpty(Required(details, Maml + "description", name).Elements(Maml + "para"));
            }
        }

        [Fact]
        public void Every_command_has_the_sections_Get_Help_reads()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                foreach (var section in new[] { Maml + "description", Command + "syntax", Command + "parameters", Command + "inputTypes",
                                                Command + "returnValues", Command + "examples", Command + "relatedLinks" })
                    Required(command, section, name);
                // Exactly one of each: MamlNode turns duplicates into arrays, which Get-Help then prints as "System.Object[]".
                foreach (var group in command.Elements().GroupBy(e => e.Name))
                    Assert.True(group.Count() == 1, $"{name}: {group.Key.LocalName} appears {group.Count()} times.");
            }
        }

        [Fact]
        public void Syntax_items_name_the_command_and_cover_every_parameter_set()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
                Assert.True(items.Count > 0, $"{name}: no syntax.");
                Assert.All(items, i => Assert.Equal(name, i.Element(Maml + "name")?.Value));
                var cmdlet = _module.Cmdlets.Single(c => c.Name == name);
                // PowerShell also creates the DefaultParameterSetName set when no parameter names it (a "no arguments" set).
                var sets = cmdlet.Parameters.SelectMany(p => p.ParameterSets)
                    .Concat(cmdlet.DefaultParameterSetName != null ? new[] { cmdlet.DefaultParameterSetName } : Array.Empty<string>())
                    .Where(s => s != "__AllParameterSets").Distinct().ToList();
                int expected = Math.Max(1, sets.Count);
                Assert.True(items.Count == expected,
                    $"{name}: the help shows {items.Count} syntax block(s), the cmdlet has {expected} parameter set(s) ({string.Join(", ", sets)}): add a '### SetName' block per set under ## SYNTAX.");
                foreach (var item in items)
                    Assert.All(item.Elements(Command + "parameter"), p => CheckParameterShape(name, p));
            }
        }

        [Fact]
        public void Parameters_carry_the_attributes_and_elements_Get_Help_shows()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToList();
                foreach (var p in parameters)
                {
                    CheckParameterShape(name, p);
                    var type = Required(p, Dev + "type", name);
                    Assert.False(string.IsNullOrWhiteSpace(type.Element(Maml + "name")?.Value), $"{name}: a parameter has no dev:type name.");
                    Required(p, Dev + "defaultValue", name);
                }
            }
        }

        [Fact]
        public void Input_and_return_types_name_a_type()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                var entries = command.Element(Command + "inputTypes")!.Elements(Command + "inputType")
                    .Concat(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
                foreach (var entry in entries)
                    Assert.False(string.IsNullOrWhiteSpace(entry.Element(Dev + "type")?.Element(Maml + "name")?.Value), $"{name}: an input/return type has no dev:type/maml:name.");
            }
        }

        [Fact]
        public void Examples_have_title_code_and_remarks()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                foreach (var example in command.Element(Command + "examples")!.Elements(Command + "example"))
                {
                    Assert.False(string.IsNullOrWhiteSpace(Required(example, Maml + "title", name).Value), $"{name}: an example has no title.");
                    Assert.False(string.IsNullOrWhiteSpace(Required(example, Dev + "code", name).Value), $"{name}: an example has no code.");
                    Assert.NotEmpty(Required(example, Dev + "remarks", name).Elements(Maml + "para"));
                }
            }
        }

        [Fact]
        public void Related_link_uris_are_empty_or_absolute_web_addresses_so_Get_Help_Online_does_not_fail()
        {
            foreach (var command in Commands())
            {
                var name = NameOf(command);
                foreach (var link in command.Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink"))
                {
                    Assert.False(string.IsNullOrWhiteSpace(Required(link, Maml + "linkText", name).Value), $"{name}: a related link has no text.");
                    var uri = Required(link, Maml + "uri", name).Value;
                    Assert.True(uri.Length == 0 || (Uri.TryCreate(uri, UriKind.Absolute, out var u) && (u.Scheme == "http" || u.Scheme == "https")),
                        $"{name}: related link uri '{uri}' is neither empty nor an http(s) address; Get-Help -Online would fail with 'invalid URI'.");
                }
            }
        }

        private static void CheckParameterShape(string command, XElement p)
        {
            var pname = p.Element(Maml + "name")?.Value;
            Assert.False(string.IsNullOrWhiteSpace(pname), $"{command}: a parameter has no maml:name.");
            string where = $"{command} -{pname}";
            Assert.Contains(p.Attribute("required")?.Value, new[] { "true", "false" });
            Assert.Contains(p.Attribute("globbing")?.Value, new[] { "true", "false" });
            Assert.Contains(p.Attribute("variableLength")?.Value, new[] { "true", "false" });
            var pipeline = p.Attribute("pipelineInput")?.Value ?? "";
            Assert.True(PipelineInput.IsMatch(pipeline), $"{where}: pipelineInput '{pipeline}' is not 'False' or 'True (ByValue|ByPropertyName...)'.");
            var position = p.Attribute("position")?.Value ?? "";
            Assert.True(position == "named" || int.TryParse(position, out var n) && n >= 0, $"{where}: position '{position}' is not 'named' or a number.");
            var aliases = p.Attribute("aliases")?.Value ?? "";
            Assert.True(aliases == "none" || aliases.Split(',').All(a => Regex.IsMatch(a.Trim(), "^[A-Za-z][A-Za-z0-9_]*$")),
                $"{where}: aliases '{aliases}' is not 'none' or a comma-separated list of names.");
            Assert.NotNull(p.Element(Maml + "description"));
        }

        private IEnumerable<XElement> Commands() => _module.LoadHelp().Root!.Elements(Command + "command");

        private static string NameOf(XElement command) => command.Element(Command + "details")?.Element(Command + "name")?.Value ?? "(unnamed command)";

        private static XElement Required(XElement parent, XName name, string where) =>
            parent.Element(name) ?? throw new Xunit.Sdk.XunitException($"{where}: missing {name.LocalName} ({name.NamespaceName}).");
    }
}
