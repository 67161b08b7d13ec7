using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace SecureNmc.HelpCompiler
{
    /// <summary>
    /// Writes cmdlet help as MAML, the XML dialect Get-Help reads from &lt;assembly&gt;-Help.xml
    /// in the module's culture folder. Element order follows what PowerShell's help provider expects.
    /// </summary>
    internal static class MamlWriter
    {
        private static readonly XNamespace Msh = "http://msh";
        private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

        public static XDocument Write(IEnumerable<CmdletHelp> cmdlets) =>
            new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement(Msh + "helpItems",
                    new XAttribute("schema", "maml"),
                    cmdlets.OrderBy(c => c.Name, System.StringComparer.OrdinalIgnoreCase).Select(WriteCommand)));

        private static XElement WriteCommand(CmdletHelp help) =>
            new XElement(Command + "command",
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp),
                new XElement(Command + "details",
                    new XElement(Command + "name", help.Name),
                    new XElement(Command + "verb", help.Verb),
                    new XElement(Command + "noun", help.Noun),
                    Description(help.Synopsis)),
                Description(help.Description),
                new XElement(Command + "syntax", OrderedSets(help).Select(set => SyntaxItem(help, set))),
                new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, null))),
                new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry(Command + "inputType", t))),
                new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry(Command + "returnValue", t))),
                new XElement(Maml + "alertSet",
                    new XElement(Maml + "alert", Paras(help.Notes))),
                new XElement(Command + "examples", help.Examples.Select(Example)),
                new XElement(Command + "relatedLinks", help.Links.Select(Link)));

        /// <summary>The default parameter set first, as Get-Help shows the first syntax line as the main one.</summary>
        private static IEnumerable<SyntaxSet> OrderedSets(CmdletHelp help) =>
            help.Syntax.Where(s => s.IsDefault).Concat(help.Syntax.Where(s => !s.IsDefault));

        private static XElement SyntaxItem(CmdletHelp help, SyntaxSet set) =>
            new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                help.Parameters
                    .Where(p => p.IsInSet(set.Name))
                    // Positional parameters first in position order, then the rest as written.
                    .OrderBy(p => p.Position == "named" ? int.MaxValue : ParsePosition(p.Position))
                    .Select(p => Parameter(p, set.Name)));

        private static int ParsePosition(string position) =>
            int.TryParse(position, out var n) ? n : int.MaxValue;

        private static XElement Parameter(HelpParameter p, string? set) =>
            new XElement(Command + "parameter",
                new XAttribute("required", p.Required ? "true" : "false"),
                new XAttribute("variableLength", p.IsArray ? "true" : "false"),
                new XAttribute("globbing", p.Globbing ? "true" : "false"),
                new XAttribute("pipelineInput", p.PipelineInput),
                new XAttribute("position", p.Position),
                new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
                new XElement(Maml + "name", p.Name),
                Description(p.Description),
                p.IsSwitch && set != null
                    ? null
                    : new XElement(Command + "parameterValue",
                        new XAttribute("required", p.IsSwitch ? "false" : "true"),
                        new XAttribute("variableLength", p.IsArray ? "true" : "false"),
                        p.Type),
                new XElement(Dev + "type",
                    new XElement(Maml + "name", p.Type),
                    new XElement(Maml + "uri")),
                new XElement(Dev + "defaultValue", p.DefaultValue));

        private static XElement TypeEntry(XName name, TypeHelp t) =>
            new XElement(name,
                new XElement(Dev + "type",
                    new XElement(Maml + "name", t.TypeName)),
                Description(t.Description));

        private static XElement Example(HelpExample e, int index) =>
            new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", string.Join("\n\n", e.Code)),
                new XElement(Dev + "remarks", Paras(e.Remarks)));

        /// <summary>
        /// Get-Help -Online opens the first non-empty uri of the related links and fails with an
        /// "invalid URI" error on anything but an absolute address, so a markdown cross-reference
        /// such as (Get-NmcDevice.md) keeps only its text, as Microsoft's own MAML does for
        /// related cmdlets.
        /// </summary>
        private static XElement Link(RelatedLink link) =>
            new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", link.Text),
                new XElement(Maml + "uri", IsWebAddress(link.Uri) ? link.Uri : ""));

        internal static bool IsWebAddress(string uri) =>
            System.Uri.TryCreate(uri, System.UriKind.Absolute, out var parsed)
            && (parsed.Scheme == System.Uri.UriSchemeHttp || parsed.Scheme == System.Uri.UriSchemeHttps);

        private static XElement Description(IEnumerable<string> paragraphs) =>
            new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs)
        {
            var list = paragraphs.ToList();
            if (list.Count == 0) return new[] { new XElement(Maml + "para") };
            return list.Select(p => new XElement(Maml + "para", p));
        }
    }
}
