using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Reflection;

namespace SecureNmc.Module.Tests
{
    /// <summary>One cmdlet class as its metadata describes it.</summary>
    public sealed class CmdletInfo
    {
        public CmdletInfo(Type type)
        {
            Type = type;
            var cmdlet = BuiltModule.Attribute(type, "CmdletAttribute")!;
            Verb = (string)cmdlet.ConstructorArguments[0].Value!;
            Noun = (string)cmdlet.ConstructorArguments[1].Value!;
            SupportsShouldProcess = BuiltModule.Named(cmdlet, "SupportsShouldProcess") as bool? ?? false;
            // ConfirmImpact: None 0, Low 1, Medium 2, High 3; PowerShell's default is Medium.
            ConfirmImpact = BuiltModule.Named(cmdlet, "ConfirmImpact") is int impact ? impact : 2;
            DefaultParameterSetName = BuiltModule.Named(cmdlet, "DefaultParameterSetName") as string;
            OutputTypes = BuiltModule.Attributes(type, "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(Flatten)
                .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? "")
                .ToList();
            Parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => BuiltModule.Attribute(p, "ParameterAttribute") != null)
                .Select(p => new ParameterInfo(p))
                .ToList();
        }

        public Type Type { get; }
        public string Verb { get; }
        public string Noun { get; }
        public string Name => Verb + "-" + Noun;
        public bool SupportsShouldProcess { get; }
        public int ConfirmImpact { get; }
        public string? DefaultParameterSetName { get; }
        public IReadOnlyList<string> OutputTypes { get; }
        public IReadOnlyList<ParameterInfo> Parameters { get; }

        public ParameterInfo Parameter(string name) =>
            Parameters.SingleOrDefault(p => p.Name == name) ?? throw new Xunit.Sdk.XunitException($"{Name} has no -{name} parameter.");

        public override string ToString() => Name;

        internal static IEnumerable<object?> Flatten(CustomAttributeTypedArgument argument) =>
            argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items
                ? items.Select(i => i.Value)
                : new[] { argument.Value };

        public sealed class ParameterInfo
        {
            public ParameterInfo(PropertyInfo property)
            {
                Name = property.Name;
                TypeName = property.PropertyType.FullName ?? property.PropertyType.Name;
                var type = property.PropertyType;
                if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") type = type.GetGenericArguments()[0];
                ShortTypeName = type.Name;
                var all = BuiltModule.Attributes(property, "ParameterAttribute").ToList();
                ValueFromPipeline = all.Any(a => BuiltModule.Named(a, "ValueFromPipeline") as bool? == true);
                ValueFromPipelineByPropertyName = all.Any(a => BuiltModule.Named(a, "ValueFromPipelineByPropertyName") as bool? == true);
                Mandatory = all.Any(a => BuiltModule.Named(a, "Mandatory") as bool? == true);
                Position = all.Select(a => BuiltModule.Named(a, "Position") as int?).FirstOrDefault(p => p != null && p >= 0);
                ParameterSets = all.Select(a => BuiltModule.Named(a, "ParameterSetName") as string ?? "__AllParameterSets").ToList();
                Aliases = BuiltModule.Attributes(property, "AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments).SelectMany(Flatten)
                    .Select(v => (string)v!).ToList();
                HasArgumentCompleter = BuiltModule.Attribute(property, "ArgumentCompleterAttribute") != null;
            }

            public string Name { get; }
            public string TypeName { get; }

            /// <summary>The type as help writes it: "String[]", "Int32" for int?, "PSCredential".</summary>
            public string ShortTypeName { get; }
            public bool Mandatory { get; }
            public int? Position { get; }
            public bool ValueFromPipeline { get; }
            public bool ValueFromPipelineByPropertyName { get; }
            public IReadOnlyList<string> ParameterSets { get; }
            public IReadOnlyList<string> Aliases { get; }
            public bool HasArgumentCompleter { get; }

            public override string ToString() => "-" + Name;
        }
    }
}
