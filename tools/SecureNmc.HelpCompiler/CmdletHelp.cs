using System.Collections.Generic;

namespace SecureNmc.HelpCompiler
{
    /// <summary>One cmdlet's help as written in its markdown file, before it becomes MAML.</summary>
    internal sealed class CmdletHelp
    {
        public string Name { get; set; } = "";
        public string Verb => Name.Split('-')[0];
        public string Noun => Name.Substring(Name.IndexOf('-') + 1);
        public string SourceFile { get; set; } = "";
        public List<string> Synopsis { get; } = new List<string>();
        public List<string> Description { get; } = new List<string>();
        public List<SyntaxSet> Syntax { get; } = new List<SyntaxSet>();
        public List<HelpExample> Examples { get; } = new List<HelpExample>();
        public List<HelpParameter> Parameters { get; } = new List<HelpParameter>();
        public List<TypeHelp> Inputs { get; } = new List<TypeHelp>();
        public List<TypeHelp> Outputs { get; } = new List<TypeHelp>();
        public List<string> Notes { get; } = new List<string>();
        public List<RelatedLink> Links { get; } = new List<RelatedLink>();
    }

    /// <summary>A "### SetName" block under SYNTAX; the parameter list comes from each parameter's "Parameter Sets".</summary>
    internal sealed class SyntaxSet
    {
        public string Name { get; set; } = "";
        public bool IsDefault { get; set; }
    }

    internal sealed class HelpExample
    {
        public string Title { get; set; } = "";
        public List<string> Code { get; } = new List<string>();
        public List<string> Remarks { get; } = new List<string>();
    }

    internal sealed class HelpParameter
    {
        public string Name { get; set; } = "";
        public int Line { get; set; }
        public List<string> Description { get; } = new List<string>();
        public string Type { get; set; } = "";
        public List<string> ParameterSets { get; } = new List<string>();
        public List<string> Aliases { get; } = new List<string>();
        public bool Required { get; set; }
        /// <summary>"named" or a zero-based position.</summary>
        public string Position { get; set; } = "named";
        public string DefaultValue { get; set; } = "None";
        public string PipelineInput { get; set; } = "False";
        public bool Globbing { get; set; }

        public bool IsSwitch => Type == "SwitchParameter" || Type == "System.Management.Automation.SwitchParameter";
        public bool IsArray => Type.EndsWith("[]", System.StringComparison.Ordinal);

        public bool IsInSet(string set) =>
            ParameterSets.Count == 0 ||
            ParameterSets.Exists(s => s == "(All)" || s == set);
    }

    internal sealed class TypeHelp
    {
        public string TypeName { get; set; } = "";
        public List<string> Description { get; } = new List<string>();
    }

    internal sealed class RelatedLink
    {
        public string Text { get; set; } = "";
        public string Uri { get; set; } = "";
    }
}
