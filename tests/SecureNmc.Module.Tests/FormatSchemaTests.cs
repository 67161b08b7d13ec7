using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SecureNmc.Module.Tests.PowerShellData;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// SecureNmc.format.ps1xml follows the format schema PowerShell's loader enforces (element names
    /// are case-sensitive; an unknown element or a header/column count mismatch drops the view with
    /// an error at Import-Module), and its script blocks are Windows PowerShell 5.1 syntax that only
    /// touch members and types that exist.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class FormatSchemaTests
    {
        private static readonly Dictionary<string, string[]> AllowedChildren = new Dictionary<string, string[]>
        {
            ["Configuration"] = new[] { "DefaultSettings", "SelectionSets", "Controls", "ViewDefinitions" },
            ["ViewDefinitions"] = new[] { "View" },
            ["View"] = new[] { "Name", "ViewSelectedBy", "GroupBy", "TableControl", "ListControl", "WideControl", "CustomControl", "OutOfBand", "Controls" },
            ["ViewSelectedBy"] = new[] { "TypeName", "SelectionSetName", "SelectionCondition" },
            ["EntrySelectedBy"] = new[] { "TypeName", "SelectionSetName", "SelectionCondition" },
            ["SelectionCondition"] = new[] { "TypeName", "SelectionSetName", "PropertyName", "ScriptBlock" },
            ["ItemSelectionCondition"] = new[] { "PropertyName", "ScriptBlock" },
            ["GroupBy"] = new[] { "PropertyName", "ScriptBlock", "Label", "CustomControl", "CustomControlName" },
            ["TableControl"] = new[] { "AutoSize", "HideTableHeaders", "TableHeaders", "TableRowEntries" },
            ["TableHeaders"] = new[] { "TableColumnHeader" },
            ["TableColumnHeader"] = new[] { "Label", "Width", "Alignment" },
            ["TableRowEntries"] = new[] { "TableRowEntry" },
            ["TableRowEntry"] = new[] { "Wrap", "EntrySelectedBy", "TableColumnItems" },
            ["TableColumnItems"] = new[] { "TableColumnItem" },
            ["TableColumnItem"] = new[] { "PropertyName", "ScriptBlock", "FormatString", "Alignment" },
            ["ListControl"] = new[] { "ListEntries" },
            ["ListEntries"] = new[] { "ListEntry" },
            ["ListEntry"] = new[] { "EntrySelectedBy", "ListItems" },
            ["ListItems"] = new[] { "ListItem" },
            ["ListItem"] = new[] { "PropertyName", "ScriptBlock", "Label", "FormatString", "ItemSelectionCondition" },
            ["WideControl"] = new[] { "AutoSize", "ColumnNumber", "WideEntries" },
            ["WideEntries"] = new[] { "WideEntry" },
            ["WideEntry"] = new[] { "EntrySelectedBy", "WideItem" },
            ["WideItem"] = new[] { "PropertyName", "ScriptBlock", "FormatString" },
            ["CustomControl"] = new[] { "CustomEntries" },
            ["CustomEntries"] = new[] { "CustomEntry" },
            ["CustomEntry"] = new[] { "EntrySelectedBy", "CustomItem" },
            ["CustomItem"] = new[] { "ExpressionBinding", "NewLine", "Text", "Frame" },
            ["ExpressionBinding"] = new[] { "PropertyName", "ScriptBlock", "CustomControl", "CustomControlName", "EnumerateCollection", "ItemSelectionCondition" },
            ["Frame"] = new[] { "LeftIndent", "RightIndent", "FirstLineHanging", "FirstLineIndent", "CustomItem" },
        };

        /// <summary>Elements that hold text (or nothing) and no child elements.</summary>
        private static readonly HashSet<string> Leaves = new HashSet<string>
        {
            "Name", "TypeName", "SelectionSetName", "Label", "Width", "Alignment", "PropertyName", "ScriptBlock", "FormatString",
            "AutoSize", "HideTableHeaders", "Wrap", "ColumnNumber", "Text", "NewLine", "EnumerateCollection", "OutOfBand",
            "CustomControlName", "LeftIndent", "RightIndent", "FirstLineHanging", "FirstLineIndent",
        };

        private readonly BuiltModule _module;
        private readonly XDocument _format;

        public FormatSchemaTests(BuiltModule module)
        {
            _module = module;
            _format = module.LoadFormat();
        }

        [Fact]
        public void Every_element_is_one_the_format_schema_allows_where_it_stands()
        {
            Assert.Equal("Configuration", _format.Root!.Name.LocalName);
            Assert.Equal(XNamespace.None, _format.Root.Name.Namespace);
            foreach (var element in _format.Root.Descendants().Prepend(_format.Root))
            {
                var path = string.Join("/", element.AncestorsAndSelf().Reverse().Select(e => e.Name.LocalName));
                if (Leaves.Contains(element.Name.LocalName))
                {
                    Assert.False(element.HasElements, $"{path} must hold text only.");
                    continue;
                }
                Assert.True(AllowedChildren.TryGetValue(element.Name.LocalName, out var allowed), $"{path}: unknown element (names are case-sensitive).");
                foreach (var child in element.Elements())
                    Assert.True(allowed!.Contains(child.Name.LocalName), $"{path}: <{child.Name.LocalName}> is not allowed here (allowed: {string.Join(", ", allowed!)}).");
            }
        }

        [Fact]
        public void Every_view_is_named_selects_a_type_and_has_exactly_one_control()
        {
            var names = new HashSet<string>();
            foreach (var view in _format.Descendants("View"))
            {
                var name = view.Element("Name")?.Value.Trim();
                Assert.False(string.IsNullOrEmpty(name), "a View has no Name.");
                Assert.True(names.Add(name!), $"two views are named {name}.");
                Assert.NotEmpty(view.Element("ViewSelectedBy")?.Elements() ?? Enumerable.Empty<XElement>());
                var controls = view.Elements().Count(e => e.Name.LocalName.EndsWith("Control", StringComparison.Ordinal));
                Assert.True(controls == 1, $"view {name} has {controls} controls; it needs exactly one.");
            }
        }

        [Fact]
        public void Table_views_have_as_many_headers_as_columns_and_valid_widths()
        {
            foreach (var table in _format.Descendants("TableControl"))
            {
                var view = table.Parent!.Element("Name")!.Value;
                var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").ToList() ?? new List<XElement>();
                var entries = table.Element("TableRowEntries")?.Elements("TableRowEntry").ToList() ?? new List<XElement>();
                Assert.True(entries.Count > 0, $"{view}: no TableRowEntry.");
                Assert.True(entries.Count(e => e.Element("EntrySelectedBy") == null) <= 1, $"{view}: more than one TableRowEntry without EntrySelectedBy.");
                foreach (var entry in entries)
                {
                    var columns = entry.Element("TableColumnItems")?.Elements("TableColumnItem").Count() ?? 0;
                    Assert.True(headers.Count == 0 || headers.Count == columns,
                        $"{view}: {headers.Count} TableColumnHeader(s) but {columns} TableColumnItem(s); PowerShell rejects the view.");
                }
                foreach (var header in headers)
                {
                    var width = header.Element("Width")?.Value;
                    Assert.True(width == null || int.TryParse(width, out var w) && w > 0, $"{view}: Width '{width}' is not a positive number.");
                    var alignment = header.Element("Alignment")?.Value;
                    Assert.True(alignment == null || alignment is "Left" or "Right" or "Center", $"{view}: Alignment '{alignment}' is not Left, Right or Center.");
                }
            }
        }

        [Fact]
        public void Every_item_binds_exactly_one_property_or_script_block()
        {
            foreach (var item in _format.Descendants().Where(e => e.Name.LocalName is "TableColumnItem" or "ListItem" or "WideItem"))
            {
                var view = item.Ancestors("View").First().Element("Name")!.Value;
                int bindings = item.Elements("PropertyName").Count() + item.Elements("ScriptBlock").Count();
                Assert.True(bindings == 1, $"{view}: a {item.Name.LocalName} has {bindings} PropertyName/ScriptBlock elements; it needs exactly one.");
                if (item.Name.LocalName == "ListItem" && item.Element("ScriptBlock") != null)
                    Assert.True(item.Element("Label") != null, $"{view}: a ListItem with a ScriptBlock needs a Label, or the list shows the script text as the name.");
            }
        }

        [Fact]
        public void Script_blocks_are_5_1_syntax_and_use_members_and_types_that_exist()
        {
            var problems = new List<string>();
            foreach (var block in _format.Descendants("ScriptBlock"))
            {
                var view = block.Ancestors("View").First();
                var viewName = view.Element("Name")!.Value;
                var type = FindType(view.Element("ViewSelectedBy")!.Elements("TypeName").First().Value.Trim());
                var code = block.Value;
                var tokens = PowerShellScanner.Tokenize(code);
                if (tokens.Count > 0 && tokens[^1].Depth != 0 || Unbalanced(tokens))
                    problems.Add($"{viewName}: unbalanced brackets or an unterminated string in {{{code}}}.");
                foreach (var op in tokens.Where(t => t.Kind == TokenKind.Operator))
                    problems.Add($"{viewName}: '{op.Text}' is PowerShell 7 only, in {{{code}}}.");
                if (type != null)
                {
                    foreach (Match m in Regex.Matches(code, @"\$(?:_|PSItem)\.(?<member>[A-Za-z_][A-Za-z0-9_]*)"))
                    {
                        var member = m.Groups["member"].Value;
                        bool exists = type.GetProperty(member, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) != null
                                      || type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(x => string.Equals(x.Name, member, StringComparison.OrdinalIgnoreCase))
                                      || CmdletAssemblyStrings().Contains(member);   // a note property a cmdlet adds by name
                        if (!exists) problems.Add($"{viewName}: {type.FullName} has no member '{member}', and no cmdlet adds a note property of that name ({{{code}}}).");
                    }
                }
                foreach (Match m in Regex.Matches(code, @"\[(?<type>SecureNmc\.[A-Za-z0-9_.]+)\]::(?<member>[A-Za-z_][A-Za-z0-9_]*)"))
                {
                    var referenced = FindType(m.Groups["type"].Value);
                    if (referenced == null || !referenced.IsPublic) { problems.Add($"{viewName}: [{m.Groups["type"].Value}] is not a public type of the module."); continue; }
                    var member = m.Groups["member"].Value;
                    bool exists = referenced.GetMember(member, BindingFlags.Public | BindingFlags.Static | BindingFlags.IgnoreCase).Length > 0;
                    if (!exists) problems.Add($"{viewName}: [{referenced.FullName}] has no public static member '{member}'.");
                }
            }
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void Every_selected_type_name_is_the_full_name_of_a_public_module_type()
        {
            foreach (var typeName in _format.Descendants("TypeName").Select(t => t.Value.Trim()))
            {
                var type = FindType(typeName);
                Assert.True(type != null, $"TypeName {typeName} is not a type of the module (use the full .NET name, namespace included).");
                Assert.True(type!.IsPublic || type.IsNestedPublic, $"TypeName {typeName} is not public.");
            }
        }

        private HashSet<string>? _strings;

        /// <summary>Every string literal of the cmdlet assembly: the names of note properties cmdlets add to output objects.</summary>
        private HashSet<string> CmdletAssemblyStrings()
        {
            if (_strings != null) return _strings;
            _strings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using var stream = System.IO.File.OpenRead(_module.PathOf(BuiltModule.CmdletAssemblyName));
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            var handle = System.Reflection.Metadata.Ecma335.MetadataTokens.UserStringHandle(1);
            while (!handle.IsNil)
            {
                _strings.Add(reader.GetUserString(handle));
                handle = System.Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetNextHandle(reader, handle);
            }
            foreach (var fieldHandle in reader.FieldDefinitions)
            {
                var constant = reader.GetFieldDefinition(fieldHandle).GetDefaultValue();
                if (constant.IsNil) continue;
                var value = reader.GetConstant(constant);
                if (value.TypeCode == System.Reflection.Metadata.ConstantTypeCode.String)
                    _strings.Add(reader.GetBlobReader(value.Value).ReadUTF16(reader.GetBlobReader(value.Value).Length));
            }
            return _strings;
        }

        private static bool Unbalanced(IReadOnlyList<PsToken> tokens)
        {
            int depth = 0;
            foreach (var t in tokens)
            {
                if (t.Kind == TokenKind.Open) depth++;
                if (t.Kind == TokenKind.Close && --depth < 0) return true;
            }
            return depth != 0;
        }

        private Type? FindType(string fullName) =>
            new[] { "SecureNmc.PowerShell", "SecureNmc.Core", "SecureNmc.Simulator" }
                .Select(n => _module.LoadModuleAssembly(n).GetType(fullName))
                .FirstOrDefault(t => t != null);
    }
}
