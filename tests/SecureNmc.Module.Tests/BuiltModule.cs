using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace SecureNmc.Module.Tests
{
    /// <summary>
    /// The module as `dotnet build` laid it out in out/SecureNmc, opened for inspection without
    /// PowerShell: the cmdlet assembly through MetadataLoadContext (its attributes are read, never
    /// executed), the manifest as text, the help and format files as XML.
    /// </summary>
    public sealed class BuiltModule : IDisposable
    {
        public const string CmdletAssemblyName = "SecureNmc.PowerShell.dll";
        private const string Sma = "System.Management.Automation.";

        private readonly MetadataLoadContext _context;

        public BuiltModule()
        {
            ModuleDirectory = Path.GetFullPath(Metadata("ModuleDirectory"));
            PowerShellReferenceAssembly = Metadata("PowerShellStandardLibrary");
            Require(File.Exists(Path.Combine(ModuleDirectory, CmdletAssemblyName)),
                $"{ModuleDirectory} has no {CmdletAssemblyName}: build the solution first (dotnet build SecureNmc.PowerShell.sln).");
            Require(File.Exists(PowerShellReferenceAssembly), $"PowerShellStandard.Library reference assembly not found at {PowerShellReferenceAssembly}.");

            var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
            var paths = Directory.GetFiles(ModuleDirectory, "*.dll")
                .Concat(new[] { PowerShellReferenceAssembly })
                .Concat(Directory.GetFiles(runtimeDir, "*.dll").Where(p => !ModuleHas(Path.GetFileName(p))));
            _context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
            CmdletAssembly = _context.LoadFromAssemblyPath(Path.Combine(ModuleDirectory, CmdletAssemblyName));
            PowerShellAssembly = _context.LoadFromAssemblyPath(PowerShellReferenceAssembly);
            Cmdlets = CmdletAssembly.GetTypes()
                .Where(t => !t.IsAbstract && Attribute(t, "CmdletAttribute") != null)
                .Select(t => new CmdletInfo(t))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            Manifest = ManifestText.Parse(File.ReadAllText(Path.Combine(ModuleDirectory, "SecureNmc.psd1")));
        }

        public string ModuleDirectory { get; }
        public string PowerShellReferenceAssembly { get; }
        public Assembly CmdletAssembly { get; }
        public Assembly PowerShellAssembly { get; }
        public IReadOnlyList<CmdletInfo> Cmdlets { get; }
        public ManifestText Manifest { get; }

        /// <summary>An assembly of the module folder by simple name (SecureNmc.Core, CsvHelper...).</summary>
        public Assembly LoadModuleAssembly(string simpleName) => _context.LoadFromAssemblyPath(PathOf(simpleName + ".dll"));

        public string PathOf(string relative) => Path.Combine(ModuleDirectory, relative);

        public XDocument LoadHelp() => XDocument.Load(PathOf(Path.Combine("en-US", "SecureNmc.PowerShell.dll-Help.xml")));

        public XDocument LoadFormat() => XDocument.Load(PathOf("SecureNmc.format.ps1xml"));

        public XDocument LoadTypes() => XDocument.Load(PathOf("SecureNmc.types.ps1xml"));

        /// <summary>The verbs PowerShell approves: every public constant of the SDK's Verbs* classes.</summary>
        public IReadOnlyCollection<string> ApprovedVerbs() =>
            PowerShellAssembly.GetTypes()
                .Where(t => t.IsPublic && t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
                .Where(f => f.IsLiteral && f.FieldType.FullName == "System.String")
                .Select(f => (string)f.GetRawConstantValue()!)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);

        public void Dispose() => _context.Dispose();

        internal static CustomAttributeData? Attribute(MemberInfo member, string smaAttributeName) =>
            member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + smaAttributeName);

        internal static IEnumerable<CustomAttributeData> Attributes(MemberInfo member, string smaAttributeName) =>
            member.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + smaAttributeName);

        internal static object? Named(CustomAttributeData attribute, string name) =>
            attribute.NamedArguments.Where(n => n.MemberName == name).Select(n => n.TypedValue.Value).FirstOrDefault();

        private bool ModuleHas(string fileName) => File.Exists(Path.Combine(ModuleDirectory, fileName));

        private static string Metadata(string key) =>
            typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        private static void Require(bool condition, string message)
        {
            if (!condition) throw new InvalidOperationException(message);
        }
    }

    [CollectionDefinition(Name)]
    public sealed class BuiltModuleCollection : ICollectionFixture<BuiltModule>
    {
        public const string Name = "Built module";
    }
}
